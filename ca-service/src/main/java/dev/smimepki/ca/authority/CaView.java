package dev.smimepki.ca.authority;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A CA as the API shows it; never its private key.
 *
 * @param id the CA id used in every other path
 * @param name the label given at creation
 * @param subject RFC 2253 distinguished name of the CA certificate
 * @param keyAlgorithm the CA key type, e.g. {@code EC_P256}
 * @param issuerCaId the certifying CA; absent for a root
 * @param serial CA certificate serial, lower-case hex
 * @param certificatePem the CA certificate
 * @param fingerprintSha256 lower-case hex SHA-256 of the CA certificate DER
 * @param notBefore start of validity
 * @param notAfter end of validity
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaView(UUID id, String name, String subject, String keyAlgorithm, UUID issuerCaId, String serial,
        String certificatePem, String fingerprintSha256, Instant notBefore, Instant notAfter) {
}
