package dev.smimepki.ca.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One security-relevant action: who did what to which certificate, when. */
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
    String target;
    String detail;
}
