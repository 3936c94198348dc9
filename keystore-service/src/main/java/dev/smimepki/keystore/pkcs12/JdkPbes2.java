package dev.smimepki.keystore.pkcs12;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OutputEncryptor;

/**
 * The {@code modern} profile's bag encryption computed with the JDK's SHA-256 and AES, which use the CPU's SHA and
 * AES instructions: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC; RFC 8018), the structure OpenSSL writes and every client
 * reads, several times faster than BouncyCastle's builder. With 600 000 iterations key derivation was nearly all of
 * an export's CPU, and BouncyCastle's software SHA-256 was the slow part.
 */
final class JdkPbes2 {
    /** The JDK's own provider (every OpenJDK build has it): BouncyCastle is registered after it, never picked. */
    private static final String JDK = "SunJCE";
    private static final int SALT_BYTES = 16;
    private static final int AES_256_BYTES = 32;

    private JdkPbes2() {
    }

    /** An encryptor of one PKCS#12 bag or safe: PBES2 with a fresh salt and IV. */
    static OutputEncryptor encryptor(char[] password, int iterations, SecureRandom random)
            throws GeneralSecurityException {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, AES_256_BYTES * 8);
        byte[] key;
        try {
            key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256", JDK).generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
        SecretKeySpec aesKey = new SecretKeySpec(key, "AES");
        Arrays.fill(key, (byte) 0);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding", JDK);
        cipher.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(
                new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, new PBKDF2Params(salt, iterations,
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))),
                new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv))));
        return new OutputEncryptor() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public OutputStream getOutputStream(OutputStream out) {
                return new CipherOutputStream(out, cipher);
            }

            @Override
            public GenericKey getKey() {
                return new GenericKey(algorithm, aesKey.getEncoded());
            }
        };
    }
}
