package dev.smimepki.runtime.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.tx.AfterCommit;
import dev.smimepki.runtime.tx.SqlColumns;

/**
 * The audit log every service appends to in the transaction that performs the audited change, so the log and the
 * state agree: an action that cannot be audited does not happen. Entries form a hash chain ({@link AuditEntry}),
 * linked right after they commit ({@link AuditChainer}).
 */
@ApplicationScoped
public class AuditLog {
    /** The actor of changes that arrive as events rather than requests. */
    public static final String EVENT_ACTOR = "event:pki.certificates";

    static final int MAX_PAGE_SIZE = 100;

    private static final String COLUMNS = "sequence, occurred_at, actor, action, target, detail, previous_hash, hash";

    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final AuditChainer chainer;

    AuditLog(EntityManager entityManager, TransactionSynchronizationRegistry transactions, AuditChainer chainer) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.chainer = chainer;
    }

    /**
     * Writes an entry in the caller's transaction: it commits or rolls back with the audited change. It is linked
     * into the hash chain right after the commit ({@link AuditChainer}), so appenders never wait for one another.
     *
     * @param detail algorithms, profiles, fingerprints, reasons; never key material, passwords or tokens
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String actor, AuditAction action, String target, String detail) {
        // PostgreSQL keeps microseconds: the chainer hashes what is stored.
        Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
        entityManager.createNativeQuery("insert into audit_chain (occurred_at, actor, action, target, detail)"
                + " values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, OffsetDateTime.ofInstant(time, ZoneOffset.UTC))
                .setParameter(2, actor)
                .setParameter(3, action.name())
                .setParameter(4, target)
                .setParameter(5, detail)
                .executeUpdate();
        if (transactions.getResource(AuditChainer.class) == null) {
            transactions.putResource(AuditChainer.class, Boolean.TRUE);
            AfterCommit.run(transactions, chainer::wakeUp);
        }
    }

    /**
     * One page of the linked entries, newest first, after linking every entry committed so far; 400 for a page below
     * 0 or a size outside 1 to 100.
     */
    public AuditPage page(int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-page",
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        chainer.linkAll();
        return QuarkusTransaction.requiringNew().call(() -> linkedPage(page, size));
    }

    private AuditPage linkedPage(int page, int size) {
        List<AuditEntry> items = rows(entityManager.createNativeQuery("select " + COLUMNS
                + " from audit_chain where sequence is not null order by sequence desc limit ?1 offset ?2")
                .setParameter(1, size)
                .setParameter(2, (long) page * size)
                .getResultList());
        long total = ((Number) entityManager
                .createNativeQuery("select count(*) from audit_chain where sequence is not null")
                .getSingleResult())
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
