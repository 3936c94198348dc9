package dev.smimepki.keystore.pkcs12;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.Mac;
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
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12MacCalculatorBuilder;

/**
 * The {@code modern} profile's password protection computed with the JDK's SHA-256 and AES, which use the CPU's
 * SHA and AES instructions: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC; RFC 8018) for the bags and the PKCS#12 MAC with
 * SHA-256 (RFC 7292 appendix B): the structures OpenSSL writes and every client reads, several times faster than
 * BouncyCastle's builders. With 600 000 iterations key derivation was nearly all of an export's CPU, and
 * BouncyCastle's software SHA-256 was the slow part.
 */
final class JdkPbes2 {
    /** The JDK's own provider (every OpenJDK build has it): BouncyCastle is registered after it, never picked. */
    private static final String JDK = "SunJCE";
    private static final int SALT_BYTES = 16;
    private static final int AES_256_BYTES = 32;
    private static final int SHA_256_BLOCK = 64;
    /** RFC 7292 appendix B.3: the diversifier for MAC keys. */
    private static final byte MAC_KEY_ID = 3;

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

    /** The PKCS#12 MAC over the authenticated safe: HMAC-SHA256 with a key from RFC 7292's KDF. */
    static PKCS12MacCalculatorBuilder mac(int iterations, SecureRandom random) {
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
        return new PKCS12MacCalculatorBuilder() {
            @Override
            public AlgorithmIdentifier getDigestAlgorithmIdentifier() {
                return sha256;
            }

            @Override
            public MacCalculator build(char[] password) {
                byte[] salt = new byte[AES_256_BYTES];
                random.nextBytes(salt);
                byte[] key = pkcs12MacKey(password, salt, iterations);
                ByteArrayOutputStream authenticated = new ByteArrayOutputStream();
                AlgorithmIdentifier algorithm = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256,
                        new PKCS12PBEParams(salt, iterations));
                return new MacCalculator() {
                    @Override
                    public AlgorithmIdentifier getAlgorithmIdentifier() {
                        return algorithm;
                    }

                    @Override
                    public OutputStream getOutputStream() {
                        return authenticated;
                    }

                    @Override
                    public byte[] getMac() {
                        try {
                            Mac hmac = Mac.getInstance("HmacSHA256", JDK);
                            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
                            return hmac.doFinal(authenticated.toByteArray());
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException("HMAC-SHA256 is not available", e);
                        }
                    }

                    @Override
                    public GenericKey getKey() {
                        return new GenericKey(algorithm, key.clone());
                    }
                };
            }
        };
    }

    /**
     * RFC 7292 appendix B.2 with SHA-256 (u = 32, v = 64) for one 32-byte MAC key: A = H^r(D || S || P), where D is
     * the diversifier repeated to a block, S the salt and P the password (BMPString with its two-byte terminator)
     * each repeated to a whole number of blocks.
     */
    static byte[] pkcs12MacKey(char[] password, byte[] salt, int iterations) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] diversifier = new byte[SHA_256_BLOCK];
            Arrays.fill(diversifier, MAC_KEY_ID);
            byte[] bmpPassword = bmpString(password);
            sha256.update(diversifier);
            sha256.update(repeatedToBlocks(salt));
            byte[] repeatedPassword = repeatedToBlocks(bmpPassword);
            sha256.update(repeatedPassword);
            Arrays.fill(bmpPassword, (byte) 0);
            Arrays.fill(repeatedPassword, (byte) 0);
            byte[] a = sha256.digest();
            for (int i = 1; i < iterations; i++) {
                a = sha256.digest(a);
            }
            return a;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The password as UTF-16 code units, big-endian, and a two-byte zero terminator (what BouncyCastle does). */
    private static byte[] bmpString(char[] password) {
        if (password.length == 0) {
            return new byte[0]; // RFC 7292 B.1: an empty password is the empty string, without a terminator
        }
        byte[] bmp = new byte[(password.length + 1) * 2];
        for (int i = 0; i < password.length; i++) {
            bmp[2 * i] = (byte) (password[i] >>> 8);
            bmp[2 * i + 1] = (byte) password[i];
        }
        return bmp;
    }

    private static byte[] repeatedToBlocks(byte[] value) {
        if (value.length == 0) {
            return value;
        }
        int length = SHA_256_BLOCK * ((value.length + SHA_256_BLOCK - 1) / SHA_256_BLOCK);
        byte[] repeated = new byte[length];
        for (int i = 0; i < length; i++) {
            repeated[i] = value[i % value.length];
        }
        return repeated;
    }
}
