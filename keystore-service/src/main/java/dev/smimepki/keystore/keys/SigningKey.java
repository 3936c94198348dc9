package dev.smimepki.keystore.keys;

import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * The key a mailbox signs with now, and the certificate to put in the signature.
 *
 * @param keyId the key to ask for signatures
 * @param keyAlgorithm its algorithm
 * @param certificatePem the signer certificate, PEM
 * @param chainPem its issuing CA up to the root, PEM, issuer first
 */
public record SigningKey(String keyId, KeyAlgorithm keyAlgorithm, String certificatePem, String chainPem) {
}
