package dev.smimepki.keystore.pkcs12;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The PKCS#12 key derivation (RFC 7292 appendix B.2) on the JDK's SHA-1 and SHA-256, which use the CPU's SHA
 * instructions: keys, IVs and MAC keys of the PBE-SHA1-3DES bags and of the PKCS#12 MAC.
 *
 * <p>It also tells whether GnuPG derives the same bytes. gpgsm (KMail, Kleopatra) and gnome-keyring update each
 * 64-byte block I_j of step 6C with a big-number addition and write the sum back without its leading zero bytes,
 * shifted: when a sum starts with a zero byte, their key is not the standard one and the file fails to open there,
 * reported as a wrong password ("error parsing or decrypting the PKCS#12 file"), while OpenSSL, NSS and the rest
 * open it. Only derivations longer than one hash (the 24-byte 3DES key) update I; about one salt in 128 does it.
 */
final class Pkcs12Kdf {
    /** RFC 7292 appendix B.3: the diversifier ID for encryption keys. */
    static final byte KEY = 1;
    /** RFC 7292 appendix B.3: the diversifier ID for IVs. */
    static final byte IV = 2;
    /** RFC 7292 appendix B.3: the diversifier ID for MAC keys. */
    static final byte MAC = 3;
    /** v: the block size of SHA-1 and SHA-256. */
    private static final int BLOCK = 64;

    /**
     * Derived key material.
     *
     * @param bytes the bytes RFC 7292 derives
     * @param gnupgDerivesTheSame false when an updated I block started with a zero byte, which GnuPG gets wrong
     */
    record Derived(byte[] bytes, boolean gnupgDerivesTheSame) {
    }

    private Pkcs12Kdf() {
    }

    /**
     * {@code length} bytes for diversifier {@code id} from the password (as a BMPString with its terminator), the
     * salt and the iteration count, with {@code digest} ("SHA-1" or "SHA-256").
     */
    static Derived derive(String digest, byte id, char[] password, byte[] salt, int iterations, int length) {
        MessageDigest hash;
        try {
            hash = MessageDigest.getInstance(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is not available", e);
        }
        byte[] diversifier = new byte[BLOCK];
        Arrays.fill(diversifier, id);
        byte[] bmpPassword = bmpString(password);
        byte[] repeatedSalt = repeatedToBlocks(salt);
        byte[] repeatedPassword = repeatedToBlocks(bmpPassword);
        byte[] i = new byte[repeatedSalt.length + repeatedPassword.length];
        System.arraycopy(repeatedSalt, 0, i, 0, repeatedSalt.length);
        System.arraycopy(repeatedPassword, 0, i, repeatedSalt.length, repeatedPassword.length);
        Arrays.fill(bmpPassword, (byte) 0);
        Arrays.fill(repeatedPassword, (byte) 0);

        byte[] derived = new byte[length];
        boolean gnupgDerivesTheSame = true;
        int written = 0;
        try {
            while (true) {
                hash.update(diversifier);
                hash.update(i);
                byte[] a = hash.digest();
                for (int round = 1; round < iterations; round++) {
                    a = hash.digest(a);
                }
                int take = Math.min(a.length, length - written);
                System.arraycopy(a, 0, derived, written, take);
                written += take;
                if (written == length) {
                    return new Derived(derived, gnupgDerivesTheSame);
                }
                // step 6C: I_j = (I_j + B + 1) mod 2^(8v), B being A repeated to one block
                for (int block = 0; block < i.length; block += BLOCK) {
                    int carry = 1;
                    for (int k = BLOCK - 1; k >= 0; k--) {
                        int sum = (i[block + k] & 0xff) + (a[k % a.length] & 0xff) + carry;
                        i[block + k] = (byte) sum;
                        carry = sum >>> 8;
                    }
                    gnupgDerivesTheSame &= i[block] != 0;
                }
            }
        } finally {
            Arrays.fill(i, (byte) 0);
        }
    }

    /** The password as UTF-16 code units, big-endian, and a two-byte zero terminator (RFC 7292 appendix B.1). */
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

    /** The value repeated to a whole number of blocks (none for an empty value). */
    private static byte[] repeatedToBlocks(byte[] value) {
        if (value.length == 0) {
            return value;
        }
        int length = BLOCK * ((value.length + BLOCK - 1) / BLOCK);
        byte[] repeated = new byte[length];
        for (int i = 0; i < length; i++) {
            repeated[i] = value[i % value.length];
        }
        return repeated;
    }
}
