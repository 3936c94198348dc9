package dev.smimepki.keystore.pkcs12;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.security.SecureRandom;

import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.operator.InputDecryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.junit.jupiter.api.Test;

import dev.smimepki.core.BouncyCastle;

/**
 * The JDK-computed modern bag encryption is BouncyCastle's implementation of the same standard: PBES2 output that
 * BouncyCastle's decryptor opens. Real clients opening whole exports: Pkcs12ExportTest (openssl, NSS, gpgsm).
 */
class JdkPbes2Test {
    private final SecureRandom random = new SecureRandom();

    @Test
    void pbes2OutputOpensWithBouncyCastlesDecryptorAndNamesHmacSha256AndAes256() throws Exception {
        char[] password = "Grüße, a long export password".toCharArray();
        byte[] plain = new byte[1000];
        random.nextBytes(plain);
        OutputEncryptor encryptor = JdkPbes2.encryptor(password, 2048, random);
        java.io.ByteArrayOutputStream sealed = new java.io.ByteArrayOutputStream();
        try (OutputStream out = encryptor.getOutputStream(sealed)) {
            out.write(plain);
        }

        PBES2Parameters parameters = PBES2Parameters.getInstance(encryptor.getAlgorithmIdentifier().getParameters());
        assertEquals(PKCSObjectIdentifiers.id_PBES2, encryptor.getAlgorithmIdentifier().getAlgorithm());
        PBKDF2Params kdf = PBKDF2Params.getInstance(parameters.getKeyDerivationFunc().getParameters());
        assertEquals(2048, kdf.getIterationCount().intValue());
        assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA256, kdf.getPrf().getAlgorithm());
        assertEquals(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC,
                parameters.getEncryptionScheme().getAlgorithm());

        InputDecryptor decryptor = new JcePKCSPBEInputDecryptorProviderBuilder()
                .setProvider(BouncyCastle.provider()).build(password).get(encryptor.getAlgorithmIdentifier());
        assertArrayEquals(plain, decryptor.getInputStream(new java.io.ByteArrayInputStream(sealed.toByteArray()))
                .readAllBytes());
    }
}
