package dev.smimepki.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code pki.certificate.issued.v1} on {@link Topics#CERTIFICATES}: ca-service issued a certificate.
 *
 * @param fingerprintSha256 lower-case hex SHA-256 of the certificate DER; also the Kafka key
 * @param serial the certificate serial number, lower-case hex without leading zeros
 * @param caId id of the issuing CA in ca-service
 * @param emails every mailbox of the certificate (SAN rfc822Name), as issued
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param keyId keystore-service key id when the key was generated there; absent when issued from a CSR
 * @param certificatePem the certificate, one PEM block
 * @param chainPem the issuing CA up to the root, PEM blocks, issuer first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateIssued(
        String fingerprintSha256,
        String serial,
        String caId,
        List<String> emails,
        Instant notBefore,
        Instant notAfter,
        String keyId,
        String certificatePem,
        String chainPem) implements PkiEvent {

    public CertificateIssued {
        emails = List.copyOf(emails);
    }
}
