package dev.smimepki.directory.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A revocation that arrived before its certificate; applied when the certificate is stored. */
@Entity
@Table(name = "directory_pending_revocation")
class PendingRevocation extends PanacheEntityBase {
    @Id
    @Column(name = "fingerprint_sha256")
    public String fingerprintSha256;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    public String reason;
}
