package dev.smimepki.directory.trust;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A CA certificate the directory learnt: a trust anchor, or an intermediate that helps build paths to one. */
@Entity
@Table(name = "directory_ca_certificate")
class CaCertificate extends PanacheEntityBase {
    @Id
    @Column(name = "fingerprint_sha256")
    public String fingerprintSha256;
    public String subject;
    public byte[] der;
    public boolean anchor;
    /** See {@link TrustAnchors.Origin}. */
    public String origin;
    @Column(name = "first_seen")
    public Instant firstSeen;
}
