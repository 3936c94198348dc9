package dev.smimepki.keystore.pkcs12;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS12ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * The JDK-computed RFC 7292 derivation is BouncyCastle's, and its GnuPG flag marks exactly the salts whose updated I
 * blocks start with a zero byte. That gpgsm really fails on those: LegacyPbeTest.
 */
class Pkcs12KdfTest {
    private static final String[] PASSWORDS = {"correct horse battery", "p", "Grüße-Ωμέγα-密码-パスワード",
            "a".repeat(150)};
    private final Random random = new Random(7292);

    @Test
    void keysIvsAndMacKeysAreRfc7292sAsBouncyCastleDerivesThem() {
        for (String password : PASSWORDS) {
            for (int iterations : new int[]{1, 2, 1000}) {
                byte[] salt = new byte[20];
                random.nextBytes(salt);
                String what = password + ", " + iterations + " iterations";
                char[] chars = password.toCharArray();

                PKCS12ParametersGenerator sha1 = generator(new SHA1Digest(), chars, salt, iterations);
                ParametersWithIV desEde = (ParametersWithIV) sha1.generateDerivedParameters(192, 64);
                assertArrayEquals(((KeyParameter) desEde.getParameters()).getKey(),
                        Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.KEY, chars, salt, iterations, 24).bytes(), what);
                assertArrayEquals(desEde.getIV(),
                        Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.IV, chars, salt, iterations, 8).bytes(), what);
                assertArrayEquals(((KeyParameter) sha1.generateDerivedMacParameters(160)).getKey(),
                        Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.MAC, chars, salt, iterations, 20).bytes(), what);

                PKCS12ParametersGenerator sha256 = generator(new SHA256Digest(), chars, salt, iterations);
                assertArrayEquals(((KeyParameter) sha256.generateDerivedMacParameters(256)).getKey(),
                        Pkcs12Kdf.derive("SHA-256", Pkcs12Kdf.MAC, chars, salt, iterations, 32).bytes(), what);
                // three hashes' worth: I updated twice
                assertArrayEquals(((KeyParameter) sha1.generateDerivedMacParameters(480)).getKey(),
                        Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.MAC, chars, salt, iterations, 60).bytes(), what);
            }
        }
    }

    @Test
    void gnupgFlagMarksTheSaltsWhoseUpdatedBlockStartsWithZero() throws Exception {
        char[] password = "Correct horse battery 7".toCharArray();
        int flagged = 0;
        for (int n = 0; n < 3000; n++) {
            byte[] salt = new byte[20];
            random.nextBytes(salt);
            boolean expected = gnupgDerivesTheSame(password, salt, 1);
            Pkcs12Kdf.Derived derived = Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.KEY, password, salt, 1, 24);
            assertEquals(expected, derived.gnupgDerivesTheSame(), "salt " + Arrays.toString(salt));
            flagged += expected ? 0 : 1;
            assertTrue(Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.KEY, password, salt, 1, 20).gnupgDerivesTheSame(),
                    "one hash's worth never updates I");
        }
        // each of the two blocks starts with zero once in 256: about 23 of 3000
        assertTrue(flagged >= 8 && flagged <= 50, flagged + " of 3000 flagged");
    }

    private static PKCS12ParametersGenerator generator(Digest digest, char[] password, byte[] salt, int iterations) {
        PKCS12ParametersGenerator generator = new PKCS12ParametersGenerator(digest);
        generator.init(PBEParametersGenerator.PKCS12PasswordToBytes(password), salt, iterations);
        return generator;
    }

    /** GnuPG's step 6C as numbers: each 64-byte block plus B plus 1, modulo 2^512, must keep a non-zero first byte. */
    private static boolean gnupgDerivesTheSame(char[] password, byte[] salt, int iterations) throws Exception {
        byte[] bmp = PBEParametersGenerator.PKCS12PasswordToBytes(password);
        byte[] saltBlock = new byte[64];
        byte[] passwordBlock = new byte[64];
        byte[] diversifier = new byte[64];
        for (int i = 0; i < 64; i++) {
            saltBlock[i] = salt[i % salt.length];
            passwordBlock[i] = bmp[i % bmp.length];
            diversifier[i] = Pkcs12Kdf.KEY;
        }
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(diversifier);
        sha1.update(saltBlock);
        sha1.update(passwordBlock);
        byte[] a = sha1.digest();
        for (int i = 1; i < iterations; i++) {
            a = sha1.digest(a);
        }
        byte[] b = new byte[64];
        for (int i = 0; i < 64; i++) {
            b[i] = a[i % a.length];
        }
        BigInteger bPlusOne = new BigInteger(1, b).add(BigInteger.ONE);
        BigInteger modulus = BigInteger.ONE.shiftLeft(512);
        for (byte[] block : new byte[][]{saltBlock, passwordBlock}) {
            if (new BigInteger(1, block).add(bPlusOne).mod(modulus).bitLength() <= 504) {
                return false;
            }
        }
        return true;
    }
}
