package dev.smimepki.runtime.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.smimepki.runtime.tx.CommitWorker;

/**
 * Links the entries {@link AuditLog#append} wrote into the hash chain, in batches, once their transactions have
 * committed: each batch locks the chain head, gives the unlinked entries the next sequence numbers in the order they
 * were written, computes their hashes and moves the head, in one transaction. Woken after every commit that appended,
 * it also looks every second, so entries of another replica, or of a process that died before linking them, are
 * linked too. Readers of the chain ({@link AuditLog#page}, {@link AuditChainVerifier}) link what is waiting first.
 */
@ApplicationScoped
public class AuditChainer {
    private static final Logger LOG = Logger.getLogger(AuditChainer.class);
    static final int BATCH = 500;

    private final EntityManager entityManager;
    private final CommitWorker worker = new CommitWorker("audit-chainer",
            "audit entries cannot be linked into the chain yet", LOG, () -> linkNextBatch() == BATCH);

    AuditChainer(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    void start(@Observes StartupEvent startup) {
        worker.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        worker.stop();
    }

    /** Called after a transaction that appended entries committed. */
    void wakeUp() {
        worker.wakeUp();
    }

    /**
     * Links every entry committed so far, in transactions of its own (never the caller's).
     *
     * @return how many entries were linked
     */
    public int linkAll() {
        int linked = 0;
        int batch;
        do {
            batch = linkNextBatch();
            linked += batch;
        } while (batch == BATCH);
        return linked;
    }

    private int linkNextBatch() {
        return QuarkusTransaction.requiringNew().call(this::linkBatch);
    }

    /** One batch, in the current transaction: the head stays locked until it ends. */
    private int linkBatch() {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            long sequence;
            String previousHash;
            try (PreparedStatement head = connection.prepareStatement(
                    "select last_sequence, last_hash from audit_chain_head where id = 1 for update");
                    ResultSet row = head.executeQuery()) {
                row.next();
                sequence = row.getLong(1);
                previousHash = row.getString(2);
            }
            // read after the lock: what another linker committed meanwhile is no longer unlinked
            List<Long> ids = new ArrayList<>();
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement unlinked = connection.prepareStatement("select id, occurred_at, actor, action,"
                    + " target, detail from audit_chain where sequence is null order by id limit " + BATCH);
                    ResultSet row = unlinked.executeQuery()) {
                while (row.next()) {
                    Instant time = row.getObject(2, OffsetDateTime.class).toInstant();
                    AuditEntry entry = AuditEntry.link(++sequence, time, row.getString(3), row.getString(4),
                            row.getString(5), row.getString(6), previousHash);
                    ids.add(row.getLong(1));
                    entries.add(entry);
                    previousHash = entry.hash();
                }
            }
            if (entries.isEmpty()) {
                return 0;
            }
            try (PreparedStatement link = connection.prepareStatement(
                    "update audit_chain set sequence = ?, previous_hash = ?, hash = ? where id = ?")) {
                for (int i = 0; i < entries.size(); i++) {
                    link.setLong(1, entries.get(i).sequence());
                    link.setString(2, entries.get(i).previousHash());
                    link.setString(3, entries.get(i).hash());
                    link.setLong(4, ids.get(i));
                    link.addBatch();
                }
                link.executeBatch();
            }
            try (PreparedStatement head = connection.prepareStatement(
                    "update audit_chain_head set last_sequence = ?, last_hash = ? where id = 1")) {
                head.setLong(1, sequence);
                head.setString(2, previousHash);
                head.executeUpdate();
            }
            return entries.size();
        });
    }
}
