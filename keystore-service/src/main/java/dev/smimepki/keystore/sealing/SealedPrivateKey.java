package dev.smimepki.keystore.sealing;

/**
 * A private key as stored: its PKCS#8 encoding under a data key of its own, and that data key wrapped by a
 * key-encryption key. No component reveals the key without the KEK.
 *
 * @param nonce the AES-GCM nonce of the private key encryption
 * @param ciphertext the PKCS#8 encoding under the data key, with the GCM tag
 * @param wrappedDataKey the data key under the key-encryption key
 */
public record SealedPrivateKey(byte[] nonce, byte[] ciphertext, WrappedDataKey wrappedDataKey) {
}
