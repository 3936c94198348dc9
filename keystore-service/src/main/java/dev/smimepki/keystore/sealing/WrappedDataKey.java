package dev.smimepki.keystore.sealing;

/**
 * A data key wrapped by one version of the key-encryption key.
 *
 * @param kekVersion the KEK version that wrapped it
 * @param nonce the AES-GCM nonce of the wrapping
 * @param ciphertext the data key under the KEK, with the GCM tag
 */
public record WrappedDataKey(String kekVersion, byte[] nonce, byte[] ciphertext) {
}
