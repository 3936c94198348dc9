package dev.smimepki.keystore.keys;

/**
 * The key a recipient identifier names.
 *
 * @param keyId the key to ask for decryption
 * @param certificatePem the certificate the identifier names, PEM
 */
public record FoundKey(String keyId, String certificatePem) {
}
