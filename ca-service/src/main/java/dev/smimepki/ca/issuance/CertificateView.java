package dev.smimepki.ca.issuance;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An issued certificate as the API shows it.
 *
 * @param serial lower-case hex without leading zeros
 * @param caId the issuing CA
 * @param fingerprintSha256 lower-case hex SHA-256 of the certificate DER
 * @param subject RFC 2253 subject
 * @param emails every mailbox of the certificate, as in the SAN
 * @param profile {@code multipurpose} or {@code strict}
 * @param usage {@code dual}, {@code signing} or {@code encryption}
 * @param keyAlgorithm the subscriber key type, e.g. {@code RSA_2048}
 * @param status {@code valid}, {@code revoked} or {@code expired}
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param revokedAt when it was revoked, if it was
 * @param revocationReason RFC 5280 reason name, if revoked
 * @param certificatePem the certificate
 * @param chainPem the issuing CA up to the root, issuer first
 * @param keyId the id of the key in keystore-service when it was generated there; absent for CSR issuance
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateView(String serial, UUID caId, String fingerprintSha256, String subject, List<String> emails,
        String profile, String usage, String keyAlgorithm, String status, Instant notBefore, Instant notAfter,
        Instant revokedAt, String revocationReason, String certificatePem, String chainPem, String keyId) {
}
