package dev.smimepki.keystore.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One security-relevant action: who did what to which key, when. Never key material or a password. */
@Entity
@Table(name = "audit_entry")
class AuditEntry {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "occurred_at")
    Instant occurredAt;
    String actor;
    String action;
    @Column(name = "key_id")
    UUID keyId;
    String detail;
}
