package dev.smimepki.crypto.keys;

import dev.smimepki.core.cert.Certificate;

/**
 * A private key keystore-service holds for a CMS recipient identifier.
 *
 * @param keyId keystore-service's id of the key
 * @param certificate the certificate the recipient identifier names; its mailboxes decide who may decrypt with it
 */
public record RecipientKey(String keyId, Certificate certificate) {
}
