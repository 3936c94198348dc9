package dev.smimepki.keystore.operations;

/**
 * A recovered content-encryption key.
 *
 * @param contentEncryptionKey base64 of the key bytes
 */
public record ContentEncryptionKey(String contentEncryptionKey) {
}
