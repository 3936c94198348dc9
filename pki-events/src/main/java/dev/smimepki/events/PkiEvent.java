package dev.smimepki.events;

/** The body of a platform event; all of them are keyed by the certificate's SHA-256 fingerprint. */
public sealed interface PkiEvent permits CertificateIssued, CertificateRevoked, CertificateHarvested {
    /** Lower-case hex SHA-256 of the certificate's DER encoding: the Kafka record key. */
    String fingerprintSha256();
}
