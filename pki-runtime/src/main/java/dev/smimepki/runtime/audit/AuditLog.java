package dev.smimepki.runtime.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.tx.SqlColumns;

/**
 * The audit log every service appends to in the transaction that performs the audited change, so the log and the
 * state agree: an action that cannot be audited does not happen. Entries form a hash chain ({@link AuditEntry}).
 */
@ApplicationScoped
public class AuditLog {
    /** The actor of changes that arrive as events rather than requests. */
    public static final String EVENT_ACTOR = "event:pki.certificates";

    static final int MAX_PAGE_SIZE = 100;

    private static final String COLUMNS = "sequence, occurred_at, actor, action, target, detail, previous_hash, hash";

    private final EntityManager entityManager;

    AuditLog(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Appends an entry to the chain. The head row stays locked until the caller's transaction ends, so appenders in
     * every replica take turns and each entry links to the one committed before it; a rolled-back transaction leaves
     * neither entry nor head moved.
     *
     * @param detail algorithms, profiles, fingerprints, reasons; never key material, passwords or tokens
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEntry append(String actor, AuditAction action, String target, String detail) {
        Object[] head = (Object[]) entityManager
                .createNativeQuery("select last_sequence, last_hash from audit_chain_head where id = 1 for update")
                .getSingleResult();
        long sequence = ((Number) head[0]).longValue() + 1;
        // PostgreSQL keeps microseconds: hash what is stored, or the entry would not verify after a round trip.
        Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
        AuditEntry entry = AuditEntry.link(sequence, time, actor, action.name(), target, detail, (String) head[1]);
        entityManager.createNativeQuery("insert into audit_chain (" + COLUMNS + ")"
                + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, entry.sequence())
                .setParameter(2, OffsetDateTime.ofInstant(entry.time(), ZoneOffset.UTC))
                .setParameter(3, entry.actor())
                .setParameter(4, entry.action())
                .setParameter(5, entry.target())
                .setParameter(6, entry.detail())
                .setParameter(7, entry.previousHash())
                .setParameter(8, entry.hash())
                .executeUpdate();
        entityManager.createNativeQuery("update audit_chain_head set last_sequence = ?1, last_hash = ?2 where id = 1")
                .setParameter(1, entry.sequence())
                .setParameter(2, entry.hash())
                .executeUpdate();
        return entry;
    }

    /** One page of entries, newest first; 400 for a page below 0 or a size outside 1 to 100. */
    @Transactional
    public AuditPage page(int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-page",
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        List<AuditEntry> items = rows(entityManager.createNativeQuery("select " + COLUMNS
                + " from audit_chain order by sequence desc limit ?1 offset ?2")
                .setParameter(1, size)
                .setParameter(2, (long) page * size)
                .getResultList());
        long total = ((Number) entityManager.createNativeQuery("select count(*) from audit_chain").getSingleResult())
                .longValue();
        return new AuditPage(items, page, size, total);
    }

    /** Up to {@code limit} entries after {@code sequence}, in chain order. */
    List<AuditEntry> after(long sequence, int limit) {
        return rows(entityManager.createNativeQuery("select " + COLUMNS
                + " from audit_chain where sequence > ?1 order by sequence limit ?2")
                .setParameter(1, sequence)
                .setParameter(2, limit)
                .getResultList());
    }

    /** The head row: last sequence and its hash, as appenders left them. */
    ChainHead head() {
        Object[] head = (Object[]) entityManager
                .createNativeQuery("select last_sequence, last_hash from audit_chain_head where id = 1")
                .getSingleResult();
        return new ChainHead(((Number) head[0]).longValue(), (String) head[1]);
    }

    /** The highest sequence stored, 0 when none. */
    long maxSequence() {
        return ((Number) entityManager.createNativeQuery("select coalesce(max(sequence), 0) from audit_chain")
                .getSingleResult()).longValue();
    }

    record ChainHead(long lastSequence, String lastHash) {
    }

    private static List<AuditEntry> rows(List<?> rows) {
        return rows.stream().map(row -> {
            Object[] columns = (Object[]) row;
            return new AuditEntry(((Number) columns[0]).longValue(), SqlColumns.instant(columns[1]),
                    (String) columns[2],
                    (String) columns[3], (String) columns[4], (String) columns[5], (String) columns[6],
                    (String) columns[7]);
        }).toList();
    }
}
