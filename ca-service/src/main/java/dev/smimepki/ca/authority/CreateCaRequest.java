package dev.smimepki.ca.authority;

import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * {@code POST /api/v1/cas}.
 *
 * @param name a label for people, e.g. "Family Root CA 2026"
 * @param subject the CA's distinguished name in RFC 4514 form, e.g. {@code CN=Family Root CA,O=Family}; needs a CN
 * @param keyAlgorithm {@code RSA_2048}, {@code RSA_3072}, {@code RSA_4096}, {@code EC_P256} or {@code EC_P384}
 * @param validityDays lifetime of the CA certificate; an issuing CA never outlives its issuer
 * @param issuerCaId the CA that certifies this one; absent for a self-signed root
 */
public record CreateCaRequest(
        @NotBlank String name,
        @NotBlank String subject,
        @NotBlank String keyAlgorithm,
        @NotNull @Positive @Max(CreateCaRequest.MAX_VALIDITY_DAYS) Integer validityDays,
        UUID issuerCaId) {
    static final int MAX_VALIDITY_DAYS = 36525;
}
