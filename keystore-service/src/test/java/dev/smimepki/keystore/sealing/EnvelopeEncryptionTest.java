package dev.smimepki.keystore.sealing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.keystore.TestKeyEncryptionKey;

/** Envelope encryption without Quarkus: what binds a ciphertext to its row, and what rotation changes. */
class EnvelopeEncryptionTest {
    private static final String K1 = TestKeyEncryptionKey.randomKey();
    private static final String K2 = TestKeyEncryptionKey.randomKey();
    private final byte[] pkcs8 = KeyPairs.generate(KeyAlgorithm.EC_P256).getPrivate().getEncoded();

    @Test
    void sealsUnderAFreshDataKeyAndOpensAgain() {
        EnvelopeEncryption envelope = envelope("1", Map.of("1", K1));
        UUID keyId = UUID.randomUUID();
        SealedPrivateKey first = envelope.seal(keyId, KeyAlgorithm.EC_P256, pkcs8);
        SealedPrivateKey second = envelope.seal(keyId, KeyAlgorithm.EC_P256, pkcs8);
        assertArrayEquals(pkcs8, envelope.open(keyId, KeyAlgorithm.EC_P256, first));
        assertEquals("1", first.wrappedDataKey().kekVersion());
        assertFalse(Arrays.equals(first.ciphertext(), second.ciphertext()), "a data key per sealing");
        assertEquals(pkcs8.length + 16, first.ciphertext().length, "GCM: ciphertext and a 128-bit tag");
        assertEquals(32 + 16, first.wrappedDataKey().ciphertext().length, "an AES-256 data key, wrapped with GCM");
    }

    @Test
    void aCiphertextMovedToAnotherRowOrRelabelledDoesNotOpen() {
        EnvelopeEncryption envelope = envelope("1", Map.of("1", K1));
        UUID keyId = UUID.randomUUID();
        SealedPrivateKey sealed = envelope.seal(keyId, KeyAlgorithm.EC_P256, pkcs8);
        assertThrows(IllegalStateException.class, () -> envelope.open(UUID.randomUUID(), KeyAlgorithm.EC_P256,
                sealed));
        assertThrows(IllegalStateException.class, () -> envelope.open(keyId, KeyAlgorithm.EC_P384, sealed));
        byte[] tampered = sealed.ciphertext().clone();
        tampered[3] ^= 1;
        assertThrows(IllegalStateException.class, () -> envelope.open(keyId, KeyAlgorithm.EC_P256,
                new SealedPrivateKey(sealed.nonce(), tampered, sealed.wrappedDataKey())));
        WrappedDataKey relabelled = new WrappedDataKey("2", sealed.wrappedDataKey().nonce(),
                sealed.wrappedDataKey().ciphertext());
        EnvelopeEncryption sameKeyTwice = envelope("1", Map.of("1", K1, "2", K1));
        assertThrows(IllegalStateException.class, () -> sameKeyTwice.open(keyId, KeyAlgorithm.EC_P256,
                new SealedPrivateKey(sealed.nonce(), sealed.ciphertext(), relabelled)),
                "the KEK version is bound to the wrapped data key");
        assertThrows(IllegalStateException.class, () -> envelope("1", Map.of("1", K2)).open(keyId,
                KeyAlgorithm.EC_P256, sealed), "another KEK does not open it");
    }

    @Test
    void rewrapChangesOnlyTheWrappedDataKey() {
        UUID keyId = UUID.randomUUID();
        SealedPrivateKey sealed = envelope("1", Map.of("1", K1)).seal(keyId, KeyAlgorithm.EC_P256, pkcs8);
        EnvelopeEncryption rotating = envelope("2", Map.of("1", K1, "2", K2));
        WrappedDataKey rewrapped = rotating.rewrap(keyId, sealed.wrappedDataKey());
        assertEquals("2", rewrapped.kekVersion());
        SealedPrivateKey after = new SealedPrivateKey(sealed.nonce(), sealed.ciphertext(), rewrapped);
        assertArrayEquals(pkcs8, envelope("2", Map.of("2", K2)).open(keyId, KeyAlgorithm.EC_P256, after),
                "opens with the new KEK alone");
    }

    @Test
    void theActiveKekMustBeConfiguredAndWellFormed() {
        assertThrows(IllegalStateException.class, () -> new KeyEncryptionKeys("2", Map.of("1", K1)));
        assertThrows(IllegalStateException.class, () -> new KeyEncryptionKeys("1", Map.of("1", "")));
        assertThrows(IllegalStateException.class, () -> new KeyEncryptionKeys("1", Map.of("1", "c2hvcnQ=")));
        IllegalStateException notBase64 = assertThrows(IllegalStateException.class,
                () -> new KeyEncryptionKeys("1", Map.of("1", "not base64 at all!")));
        assertTrue(notBase64.getMessage().contains("not base64"));
        assertFalse(notBase64.getMessage().contains("not base64 at all!"), "the value is never echoed");
    }

    private static EnvelopeEncryption envelope(String active, Map<String, String> versions) {
        return new EnvelopeEncryption(new KeyEncryptionKeys(active, versions));
    }
}
