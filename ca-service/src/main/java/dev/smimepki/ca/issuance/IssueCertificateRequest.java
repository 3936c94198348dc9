package dev.smimepki.ca.issuance;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/certificates}. Only these fields shape the certificate: the CSR contributes its public key and
 * nothing else.
 *
 * @param caId the issuing CA
 * @param emails the mailboxes, each in the SAN; the first also in the subject
 * @param commonName the subject CN (a person's name or the mailbox); default the first mailbox
 * @param profile {@code multipurpose} (default) or {@code strict}
 * @param usage {@code dual} (default), {@code signing} or {@code encryption}
 * @param validityDays lifetime, at most 825 days and never beyond the CA's; default
 *        {@code pki.ca.issuance.default-validity-days}
 * @param csr PEM PKCS#10 signed with the subscriber's key (proof of possession)
 * @param keyAlgorithm for server-side key generation in keystore-service (not available yet)
 */
public record IssueCertificateRequest(
        @NotNull UUID caId,
        @NotEmpty @Size(max = IssueCertificateRequest.MAX_MAILBOXES) List<@NotBlank String> emails,
        @Size(max = IssueCertificateRequest.MAX_COMMON_NAME) String commonName,
        String profile,
        String usage,
        @Positive @Max(IssueCertificateRequest.MAX_VALIDITY_DAYS) Integer validityDays,
        @Size(max = IssueCertificateRequest.MAX_CSR_CHARS) String csr,
        String keyAlgorithm) {
    /** X.520 ub-common-name. */
    static final int MAX_COMMON_NAME = 64;
    static final int MAX_MAILBOXES = 100;
    /** Far above any RSA-4096 CSR; the profile limit (825 days) is enforced by the lint, this only bounds dates. */
    static final int MAX_VALIDITY_DAYS = 36525;
    static final int MAX_CSR_CHARS = 65536;
}
