package dev.smimepki.keystore.pkcs12;

import java.util.List;

/**
 * A key imported from a PKCS#12 file, with its certificate.
 *
 * @param keyId the stored key's id
 * @param emails the certificate's mailboxes, normalised: the key histories the key joined
 * @param fingerprintSha256 SHA-256 of the certificate DER, lower-case hex
 */
public record ImportedKey(String keyId, List<String> emails, String fingerprintSha256) {
}
