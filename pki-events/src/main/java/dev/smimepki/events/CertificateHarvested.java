package dev.smimepki.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code pki.certificate.harvested.v1} on {@link Topics#HARVEST}: crypto-service saw a certificate in a signed
 * message.
 *
 * @param fingerprintSha256 lower-case hex SHA-256 of the signer certificate DER; also the Kafka key
 * @param emails the mailboxes the signer certificate names (SAN rfc822Name, else subject emailAddress)
 * @param certificatePem the signer certificate, one PEM block
 * @param chainPem further certificates the message carried, PEM blocks (may be empty)
 * @param seenAt when the signature was verified
 * @param signatureValid whether the signature verified; consumers store only valid ones
 * @param smimeCapabilities the signer's SMIMECapabilities attribute (RFC 8551 section 2.5.2) as algorithm
 *        OIDs in the signer's order of preference; absent when the signature carried none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateHarvested(
        String fingerprintSha256,
        List<String> emails,
        String certificatePem,
        String chainPem,
        Instant seenAt,
        boolean signatureValid,
        List<String> smimeCapabilities) implements PkiEvent {

    public CertificateHarvested {
        emails = List.copyOf(emails);
        smimeCapabilities = smimeCapabilities == null ? null : List.copyOf(smimeCapabilities);
    }
}
