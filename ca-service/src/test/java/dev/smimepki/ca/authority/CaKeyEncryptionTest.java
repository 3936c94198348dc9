package dev.smimepki.ca.authority;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.problem.ProblemException;

/** CA keys at rest: only the right key-encryption key opens them, and only on the row of their own CA. */
class CaKeyEncryptionTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void sealsAndOpensBoundToTheCaId() {
        CaKeyEncryption encryption = new CaKeyEncryption(randomKey());
        byte[] pkcs8 = KeyPairs.generate(KeyAlgorithm.EC_P256).getPrivate().getEncoded();
        UUID ca = UUID.randomUUID();

        CaKeyEncryption.Sealed sealed = encryption.seal(ca, pkcs8);
        assertFalse(contains(sealed.ciphertext(), Arrays.copyOfRange(pkcs8, pkcs8.length - 16, pkcs8.length)),
                "the ciphertext shows nothing of the key");
        assertArrayEquals(pkcs8, encryption.open(ca, sealed));
        assertEquals("ca-key-unavailable", assertThrows(ProblemException.class,
                () -> encryption.open(UUID.randomUUID(), sealed)).code());
        assertEquals("ca-key-unavailable", assertThrows(ProblemException.class,
                () -> new CaKeyEncryption(randomKey()).open(ca, sealed)).code());
    }

    @Test
    void refusesAKeyEncryptionKeyOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> new CaKeyEncryption(new byte[16]));
    }

    private static byte[] randomKey() {
        byte[] key = new byte[CaKeyEncryption.KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(haystack, i, i + needle.length), needle)) {
                return true;
            }
        }
        return false;
    }
}
