package dev.smimepki.keystore.pkcs12;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.InputDecryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.keystore.Tools;

/**
 * The legacy profile's 3DES bags open with BouncyCastle's decryptor, and never use a salt GnuPG derives a different
 * key from: gpgsm imports a file written when the random source offers such a salt first, and refuses the same file
 * written with that salt (about one legacy export in 64 before, the demo's gpgsm check failing in CI).
 */
class LegacyPbeTest {
    private static final char[] PASSWORD = "Correct horse battery 7".toCharArray();
    private static final int ITERATIONS = 2048;
    private static final byte[] MISREAD_SALT = misreadSalt();

    @TempDir
    Path dir;

    @Test
    void outputOpensWithBouncyCastlesDecryptorAndNamesPbeSha1TripleDes() throws Exception {
        byte[] plain = new byte[1000];
        new SecureRandom().nextBytes(plain);
        OutputEncryptor encryptor = LegacyPbe.encryptor(PASSWORD, ITERATIONS, new SecureRandom());
        assertEquals(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC,
                encryptor.getAlgorithmIdentifier().getAlgorithm());
        PKCS12PBEParams parameters = PKCS12PBEParams.getInstance(encryptor.getAlgorithmIdentifier().getParameters());
        assertEquals(ITERATIONS, parameters.getIterations().intValue());
        assertEquals(20, parameters.getIV().length, "a 20-byte salt, as OpenSSL writes");

        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        try (OutputStream out = encryptor.getOutputStream(sealed)) {
            out.write(plain);
        }
        InputDecryptor decryptor = new JcePKCSPBEInputDecryptorProviderBuilder()
                .setProvider(BouncyCastle.provider()).build(PASSWORD).get(encryptor.getAlgorithmIdentifier());
        assertArrayEquals(plain, decryptor.getInputStream(new ByteArrayInputStream(sealed.toByteArray()))
                .readAllBytes());
    }

    @Test
    void aSaltGnupgMisreadsIsDrawnAgain() throws Exception {
        OutputEncryptor encryptor = LegacyPbe.encryptor(PASSWORD, ITERATIONS, new MisreadSaltFirst());
        byte[] salt = PKCS12PBEParams.getInstance(encryptor.getAlgorithmIdentifier().getParameters()).getIV();
        assertFalse(Arrays.equals(MISREAD_SALT, salt), "the misread salt was used");
        assertTrue(Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.KEY, PASSWORD, salt, ITERATIONS, 24).gnupgDerivesTheSame());
    }

    @Test
    void gpgsmImportsAFileWhoseFirstSaltItWouldMisreadAndRefusesThatSalt() throws Exception {
        EndEntity entity = TestPki.shared().issue("legacy.salt@example.org");
        Pkcs12Contents contents = new Pkcs12Contents(PrivateKeyInfo.getInstance(entity.privateKey().getEncoded()),
                entity.certificate(), entity.chain());
        byte[] ours = Pkcs12Writer.write(contents, "legacy.salt", ExportProfile.legacy, ITERATIONS, PASSWORD,
                new MisreadSaltFirst());
        assertEquals(0, gpgsmImport("ours", ours).exitCode());

        Tools.Result misread = gpgsmImport("misread", withMisreadSalt(contents));
        assertNotEquals(0, misread.exitCode(), misread.output());
        assertTrue(misread.output().contains("error parsing or decrypting the PKCS#12 file"), misread.output());
    }

    private Tools.Result gpgsmImport(String name, byte[] p12) throws Exception {
        Path file = Files.write(dir.resolve(name + ".p12"), p12);
        Path home = Files.createDirectories(dir.resolve("gnupg-" + name));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        try {
            Tools.Result result = Tools.gpgsm(home, new String(PASSWORD), "--import", file.toString());
            if (result.exitCode() == 0) {
                assertTrue(result.output().contains("secret keys imported: 1"), result.output());
            }
            return result;
        } finally {
            Tools.stopGpgAgent(home);
        }
    }

    /** The same layout with BouncyCastle's 3DES encryptor, both bags under the misread salt. */
    private static byte[] withMisreadSalt(Pkcs12Contents contents) throws Exception {
        SecureRandom alwaysMisread = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(MISREAD_SALT, 0, bytes, 0, Math.min(bytes.length, MISREAD_SALT.length));
            }
        };
        JcePKCSPBEOutputEncryptorBuilder encryptor = new JcePKCSPBEOutputEncryptorBuilder(
                PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC).setProvider(BouncyCastle.provider())
                .setRandom(alwaysMisread).setIterationCount(ITERATIONS);
        PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
        pfx.addEncryptedData(encryptor.build(PASSWORD), new PKCS12SafeBag[]{new PKCS12SafeBagBuilder(
                org.bouncycastle.asn1.x509.Certificate.getInstance(contents.certificate().der())).build()});
        pfx.addData(new PKCS12SafeBagBuilder(contents.privateKey(), encryptor.build(PASSWORD)).build());
        return pfx.build(new JcePKCS12MacCalculatorBuilder(OIWObjectIdentifiers.idSHA1)
                .setProvider(BouncyCastle.provider()).setIterationCount(ITERATIONS), PASSWORD)
                .getEncoded(ASN1Encoding.DER);
    }

    /** A 20-byte salt from which GnuPG derives another 3DES key for {@link #PASSWORD} (about one in 128). */
    private static byte[] misreadSalt() {
        Random random = new Random(12);
        for (int n = 0; n < 10_000; n++) {
            byte[] salt = new byte[20];
            random.nextBytes(salt);
            if (!Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.KEY, PASSWORD, salt, ITERATIONS, 24).gnupgDerivesTheSame()) {
                return salt;
            }
        }
        throw new AssertionError("no misread salt in 10 000");
    }

    /** Offers the misread salt at every other 20-byte request, starting with the first. */
    private static final class MisreadSaltFirst extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private boolean misreadNext = true;

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            if (bytes.length != MISREAD_SALT.length) {
                super.nextBytes(bytes);
                return;
            }
            if (misreadNext) {
                System.arraycopy(MISREAD_SALT, 0, bytes, 0, bytes.length);
            } else {
                super.nextBytes(bytes);
            }
            misreadNext = !misreadNext;
        }
    }
}
