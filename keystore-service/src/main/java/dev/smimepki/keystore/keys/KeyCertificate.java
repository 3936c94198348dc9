package dev.smimepki.keystore.keys;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import dev.smimepki.core.cert.Certificate;

/** A certificate for a stored key, with its chain and revocation state. */
@Entity
@Table(name = "key_certificate")
public class KeyCertificate extends PanacheEntityBase {
    @Id
    @Column(name = "fingerprint_sha256")
    public String fingerprintSha256;
    @Column(name = "key_id")
    public UUID keyId;
    /** Lower-case hex, as {@link Certificate#serialHex()}. */
    public String serial;
    @Column(name = "issuer_der")
    public byte[] issuerDer;
    @Column(name = "subject_key_identifier")
    public byte[] subjectKeyIdentifier;
    @Column(name = "certificate_der")
    public byte[] certificateDer;
    @Column(name = "chain_pem")
    public String chainPem;
    @Column(name = "not_before")
    public Instant notBefore;
    @Column(name = "not_after")
    public Instant notAfter;
    @Column(name = "digital_signature")
    public boolean digitalSignature;
    @Column(name = "bound_at")
    public Instant boundAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    @Column(name = "revocation_reason")
    public String revocationReason;

    public Certificate certificate() {
        return Certificate.of(certificateDer);
    }

    public boolean isValidAt(Instant instant) {
        return revokedAt == null && !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }
}
