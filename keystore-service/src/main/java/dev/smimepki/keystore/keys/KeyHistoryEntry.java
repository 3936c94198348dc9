package dev.smimepki.keystore.keys;

import java.time.Instant;
import java.util.List;

import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * One key of a mailbox's history: metadata only, never key material.
 *
 * @param keyId the key's id
 * @param keyAlgorithm its algorithm
 * @param origin {@code generated} here or {@code imported} from PKCS#12
 * @param createdAt when it was stored
 * @param emails every mailbox of the key
 * @param status {@code current} (the newest key with a valid certificate), {@code superseded} (valid, but a newer key
 *        is current), {@code expired}, {@code revoked} (every certificate revoked) or {@code pending} (no certificate
 *        yet); keys stay as long as mail encrypted to them may exist
 * @param certificates the key's certificates, newest first
 */
public record KeyHistoryEntry(String keyId, KeyAlgorithm keyAlgorithm, String origin, Instant createdAt,
        List<String> emails, String status, List<CertificateSummary> certificates) {

    /**
     * A certificate of the key.
     *
     * @param fingerprintSha256 SHA-256 of the DER, lower-case hex
     * @param serial lower-case hex
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @param revokedAt when revoked, absent otherwise
     * @param revocationReason RFC 5280 reason name, absent unless revoked
     */
    public record CertificateSummary(String fingerprintSha256, String serial, Instant notBefore, Instant notAfter,
            Instant revokedAt, String revocationReason) {
    }
}
