package dev.smimepki.ca.issuance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

import dev.smimepki.core.cert.RevocationReason;
import dev.smimepki.core.email.EmailAddress;

/** A subscriber certificate this service issued, and its revocation state. Never leaves the service as is. */
@Entity
@Table(name = "issued_certificate")
public class IssuedCertificate {
    /** Lower-case hex without leading zeros. */
    @Id
    String serial;
    @Column(name = "ca_id")
    UUID caId;
    @Column(name = "fingerprint_sha256")
    String fingerprintSha256;
    String subject;
    /** Normalised mailboxes (domain lower-case), in certificate order. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "issued_certificate_email", joinColumns = @JoinColumn(name = "serial"))
    @OrderColumn(name = "position")
    @Column(name = "email")
    List<String> emails = new ArrayList<>();
    String profile;
    String usage;
    @Column(name = "key_algorithm")
    String keyAlgorithm;
    /** The id of the key in keystore-service when it was generated there. */
    @Column(name = "key_id")
    String keyId;
    @Column(name = "certificate_der")
    byte[] certificateDer;
    @Column(name = "not_before")
    Instant notBefore;
    @Column(name = "not_after")
    Instant notAfter;
    @Column(name = "issued_at")
    Instant issuedAt;
    @Column(name = "revoked_at")
    Instant revokedAt;
    @Column(name = "revocation_reason")
    String revocationReason;

    /** The mailboxes the certificate was issued for. */
    public List<EmailAddress> mailboxes() {
        return emails.stream().map(EmailAddress::parse).toList();
    }

    public String serial() {
        return serial;
    }

    public UUID caId() {
        return caId;
    }

    public String fingerprintSha256() {
        return fingerprintSha256;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    /** The reason of a revoked certificate; null while it is not revoked. */
    public RevocationReason revocationReason() {
        return revocationReason == null ? null : RevocationReason.fromName(revocationReason);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public void revoke(RevocationReason reason, Instant at) {
        if (isRevoked()) {
            throw new IllegalStateException("certificate " + serial + " is already revoked");
        }
        this.revocationReason = reason.wireName();
        this.revokedAt = at;
    }
}
