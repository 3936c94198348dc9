package dev.smimepki.keystore.keys;

import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * A key stored (committed) before this answer was sent.
 *
 * @param keyId the key's id, e.g. for the issued event's {@code keyId}
 * @param keyAlgorithm as requested
 * @param publicKeyPem the SubjectPublicKeyInfo, one {@code PUBLIC KEY} PEM block, to certify
 */
public record GeneratedKey(String keyId, KeyAlgorithm keyAlgorithm, String publicKeyPem) {
}
