package dev.smimepki.keystore.operations;

import jakarta.validation.constraints.NotBlank;

/**
 * Recover a content-encryption key with a stored key.
 *
 * @param recipientInfo base64 of the DER CMS RecipientInfo for this key (ktri or kari)
 * @param contentEncryptionAlgorithm base64 of the DER AlgorithmIdentifier of the content encryption, which fixes
 *        the length of the key to recover
 */
public record DecryptRequest(@NotBlank String recipientInfo, @NotBlank String contentEncryptionAlgorithm) {
}
