package dev.smimepki.events;

import java.time.Instant;

/**
 * {@code pki.certificate.revoked.v1} on {@link Topics#CERTIFICATES}: ca-service revoked a certificate.
 *
 * @param fingerprintSha256 lower-case hex SHA-256 of the certificate DER; also the Kafka key
 * @param serial the certificate serial number, lower-case hex without leading zeros
 * @param caId id of the issuing CA in ca-service
 * @param reason RFC 5280 CRLReason name, e.g. {@code keyCompromise}, {@code superseded}
 * @param revokedAt when the revocation took effect
 */
public record CertificateRevoked(
        String fingerprintSha256,
        String serial,
        String caId,
        String reason,
        Instant revokedAt) implements PkiEvent {
}
