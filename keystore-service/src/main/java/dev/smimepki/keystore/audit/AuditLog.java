package dev.smimepki.keystore.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Records every generation, import, export and private-key operation in the transaction that performs it, so the
 * log and the state agree; an operation that cannot be audited does not happen.
 */
@ApplicationScoped
public class AuditLog {
    /** What was done. */
    public enum Action {
        KEY_GENERATED,
        KEY_IMPORTED,
        KEY_EXPORTED,
        KEY_DELETED,
        DIGEST_SIGNED,
        KEY_DECRYPTED,
        CERTIFICATE_BOUND,
        CERTIFICATE_REVOKED
    }

    /** The actor of changes that arrive as events rather than requests. */
    public static final String EVENT_ACTOR = "event:pki.certificates";

    private final EntityManager entityManager;

    AuditLog(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** {@code detail} names algorithms, profiles or certificates; never key material or a password. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void record(String actor, Action action, UUID keyId, String detail) {
        AuditEntry entry = new AuditEntry();
        entry.occurredAt = Instant.now();
        entry.actor = actor;
        entry.action = action.name();
        entry.keyId = keyId;
        entry.detail = detail;
        entityManager.persist(entry);
    }
}
