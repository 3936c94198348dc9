package dev.smimepki.keystore.pkcs12;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.OutputEncryptor;

/**
 * The {@code legacy} profile's bag encryption: pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 appendix C), key and IV
 * from {@link Pkcs12Kdf} on the JDK's SHA-1, 3DES from the JDK, with a salt GnuPG derives the same key from: a salt
 * it would get wrong (about one in 128) is drawn again, so gpgsm opens every file, not 98 % of them.
 */
final class LegacyPbe {
    /** What OpenSSL and BouncyCastle use; GnuPG reads 8 to 20 bytes. */
    private static final int SALT_BYTES = 20;
    private static final int DES_EDE_KEY_BYTES = 24;
    private static final int DES_BLOCK_BYTES = 8;
    /** A salt GnuPG misreads has odds of 1 in 128: 64 draws that all miss it do not happen. */
    private static final int SALT_DRAWS = 64;

    private LegacyPbe() {
    }

    /** An encryptor of one PKCS#12 bag or safe with a fresh salt. */
    static OutputEncryptor encryptor(char[] password, int iterations, SecureRandom random)
            throws GeneralSecurityException {
        for (int draw = 0; draw < SALT_DRAWS; draw++) {
            byte[] salt = new byte[SALT_BYTES];
            random.nextBytes(salt);
            Pkcs12Kdf.Derived key = Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.KEY, password, salt, iterations,
                    DES_EDE_KEY_BYTES);
            if (key.gnupgDerivesTheSame()) {
                byte[] iv = Pkcs12Kdf.derive("SHA-1", Pkcs12Kdf.IV, password, salt, iterations, DES_BLOCK_BYTES)
                        .bytes();
                SecretKeySpec desEde = new SecretKeySpec(key.bytes(), "DESede");
                Arrays.fill(key.bytes(), (byte) 0);
                return new JdkEncryptor(new AlgorithmIdentifier(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC,
                        new PKCS12PBEParams(salt, iterations)), "DESede/CBC/PKCS5Padding", desEde, iv);
            }
            Arrays.fill(key.bytes(), (byte) 0);
        }
        throw new IllegalStateException("no salt out of " + SALT_DRAWS + " gives a key GnuPG derives the same");
    }
}
