package dev.smimepki.ca.audit;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.SecurityContext;

/** Records issuances, revocations and CA imports in the transaction that performs them, so the log and the state agree. */
@ApplicationScoped
public class AuditLog {
    /** The actor of requests without an authenticated principal. */
    public static final String ANONYMOUS = "anonymous";

    /** What was done. */
    public enum Action {
        CERTIFICATE_ISSUED,
        CERTIFICATE_REVOKED,
        CA_IMPORTED
    }

    private final EntityManager entityManager;

    AuditLog(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** The principal name of a request, or {@link #ANONYMOUS}. */
    public static String actor(SecurityContext security) {
        return security == null || security.getUserPrincipal() == null
                ? ANONYMOUS
                : security.getUserPrincipal().getName();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String actor, Action action, String target, String detail) {
        AuditEntry entry = new AuditEntry();
        entry.occurredAt = Instant.now();
        entry.actor = actor;
        entry.action = action.name();
        entry.target = target;
        entry.detail = detail;
        entityManager.persist(entry);
    }
}
