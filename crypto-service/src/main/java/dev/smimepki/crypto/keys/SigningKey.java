package dev.smimepki.crypto.keys;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;

/**
 * A mailbox's current signing key as keystore-service knows it: the key stays there, we get its id and certificate.
 *
 * @param keyId keystore-service's id of the private key
 * @param certificate the signer certificate
 * @param chain the issuing CAs, issuer first (may be empty)
 */
public record SigningKey(String keyId, Certificate certificate, CertificateChain chain) {
}
