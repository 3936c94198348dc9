package dev.smimepki.directory.lookup;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One certificate in a look-up answer (API.md fields first; the rest extend them).
 *
 * @param fingerprintSha256 lower-case hex SHA-256 of the DER
 * @param serial lower-case hex
 * @param issuer RFC 2253
 * @param subject RFC 2253
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param status {@code valid}, {@code revoked} or {@code expired}, now
 * @param source {@code issued}, {@code harvested} or {@code uploaded}
 * @param trust {@code trusted} or {@code unverified}
 * @param keyUsage keyUsage bit names
 * @param pem the certificate
 * @param emails the mailboxes the certificate names
 * @param key key type and size, e.g. {@code RSA 2048}
 * @param revokedAt when it was revoked, if it was
 * @param revocationReason RFC 5280 reason name, if revoked
 * @param trustDetail why it is trusted or not
 * @param firstSeen when the directory first learnt it
 * @param lastSeen when it was last issued, harvested or uploaded
 * @param timesHarvested how many verified signed messages carried it
 * @param smimeCapabilities the algorithm OIDs its owner announced when signing, in order of preference
 * @param preferred whether this is the certificate to encrypt to
 * @param usable whether it could be encrypted to at all
 * @param keyChange harvested, unverified, for an address that has a trusted certificate: flagged, never chosen
 * @param rejectedBecause why it was not chosen; empty for the preferred one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateView(
        String fingerprintSha256,
        String serial,
        String issuer,
        String subject,
        Instant notBefore,
        Instant notAfter,
        CertificateStatus status,
        String source,
        String trust,
        List<String> keyUsage,
        String pem,
        List<String> emails,
        String key,
        Instant revokedAt,
        String revocationReason,
        String trustDetail,
        Instant firstSeen,
        Instant lastSeen,
        int timesHarvested,
        List<String> smimeCapabilities,
        boolean preferred,
        boolean usable,
        boolean keyChange,
        List<String> rejectedBecause) {
}
