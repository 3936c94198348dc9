package dev.smimepki.runtime.inbox;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import jakarta.persistence.QueryTimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.runtime.problem.SecretRedaction;

/**
 * The one way a service consumes platform events: parse the CloudEvent, skip it when its {@code ce_id} was already
 * applied (redelivery, replay), otherwise apply it and record the id in the same transaction. A failure that retrying
 * can mend (the database away, a lock conflict with another consumer) is retried in place, with growing pauses, until
 * the record is applied: the record after it waits, so none is skipped and the order per partition holds.
 * <p>
 * The records of one poll are applied in one transaction ({@link #acceptAll}): one commit, one flush, one round of
 * transaction bookkeeping for the lot instead of one per record, which about doubles the rate at which a consumer
 * works off a backlog (docs/benchmarks.md: 285 against 601 issued events per second in the directory).
 * When that transaction fails for any reason, nothing of it stays and the records are applied one by one as above,
 * so a record that cannot be applied never holds back the others, and none is applied twice.
 */
@ApplicationScoped
public class Inbox {
    private static final Logger LOG = Logger.getLogger(Inbox.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    private final EntityManager entityManager;
    private final MeterRegistry registry;
    private final ParkedEvents parked;
    private final int parkAfter;
    private volatile boolean stopping;

    Inbox(EntityManager entityManager, MeterRegistry registry, ParkedEvents parked,
            @ConfigProperty(name = "pki.events.park-after", defaultValue = "5") int parkAfter) {
        this.entityManager = entityManager;
        this.registry = registry;
        this.parked = parked;
        this.parkAfter = Math.max(1, parkAfter);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Applies the records of one poll, in their order, in one transaction; if that fails, each record on its own
     * ({@link #accept}). Malformed records are parked either way.
     *
     * @return how many records the handler applied (duplicates and parked records not counted)
     */
    public int acceptAll(Iterable<ConsumerRecord<String, byte[]>> records, Consumer<InboundEvent> handler) {
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        List<InboundEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(InboundEvent.from(record));
                received.add(record);
            } catch (MalformedEventException e) {
                parkMalformed(record, e.eventId(), e.getMessage());
            }
        }
        if (events.size() > 1) {
            try {
                boolean[] applied = QuarkusTransaction.requiringNew().call(() -> {
                    boolean[] each = new boolean[events.size()];
                    for (int i = 0; i < each.length; i++) {
                        each[i] = applyOnce(events.get(i), handler);
                    }
                    return each;
                });
                registry.counter("pki.events.batches", "outcome", "applied").increment();
                int count = 0;
                for (int i = 0; i < applied.length; i++) {
                    counted(events.get(i), applied[i]);
                    count += applied[i] ? 1 : 0;
                }
                return count;
            } catch (RuntimeException e) {
                // rolled back as a whole: the records go again one by one, each in its own transaction
                registry.counter("pki.events.batches", "outcome", "one-by-one").increment();
                LOG.debugf("a batch of %d events was rolled back, applying them one by one: %s", events.size(),
                        causes(e));
            }
        }
        int applied = 0;
        for (int i = 0; i < events.size(); i++) {
            applied += accept(received.get(i), events.get(i), handler) ? 1 : 0;
        }
        return applied;
    }

    /**
     * Applies the record with {@code handler}, each attempt in a transaction of its own, unless it was applied before.
     * A malformed record (also one whose body the handler finds unusable: {@link MalformedEventException},
     * {@link PkiFormatException}) is parked with nothing else written, since retrying cannot mend it. Any other
     * failure rolls the attempt back and is retried; after {@code pki.events.park-after} attempts, unless the failure
     * is {@link #passing}, the record is parked. If the service stops meanwhile, the record is left uncommitted in
     * Kafka and delivered again after the restart.
     *
     * @return true when the handler ran (false for a duplicate or a parked record)
     */
    public boolean accept(ConsumerRecord<String, byte[]> record, Consumer<InboundEvent> handler) {
        InboundEvent event;
        try {
            event = InboundEvent.from(record);
        } catch (MalformedEventException e) {
            parkMalformed(record, e.eventId(), e.getMessage());
            return false;
        }
        return accept(record, event, handler);
    }

    private boolean accept(ConsumerRecord<String, byte[]> record, InboundEvent event, Consumer<InboundEvent> handler) {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1;; attempt++) {
            try {
                return counted(event, QuarkusTransaction.requiringNew().call(() -> applyOnce(event, handler)));
            } catch (MalformedEventException | PkiFormatException e) {
                parkMalformed(record, event.id(), e.getMessage());
                return false;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                if (attempt >= parkAfter && !passing(e) && tryPark(record, event.id(), attempt, rootFirst(e))) {
                    return false;
                }
                registry.counter("pki.events.retries", "topic", record.topic()).increment();
                LOG.warnf("event %s at %s-%d@%d not applied (attempt %d), retrying in %d ms: %s", event.id(),
                        record.topic(), record.partition(), record.offset(), attempt, pause.toMillis(),
                        causes(e));
                pauseFor(pause, e);
                pause = longer(pause);
            }
        }
    }

    private boolean applyOnce(InboundEvent event, Consumer<InboundEvent> handler) {
        int inserted = entityManager.createNativeQuery(
                "insert into processed_event (ce_id, ce_type) values (?1, ?2) on conflict do nothing")
                .setParameter(1, event.id())
                .setParameter(2, event.type().ceType())
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        handler.accept(event); // a malformed body throws, which rolls back the id too
        return true;
    }

    /**
     * Whether the failure says the database is away, busy or in a conflict that passes (connection, transaction
     * rollback, insufficient resources, operator intervention, a lock or a row version another transaction holds, a
     * timeout, or a driver error without a state, as a pool's): such a record is retried however long it takes, never
     * parked.
     */
    static boolean passing(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof SQLTransientException || e instanceof SQLRecoverableException
                    || e instanceof SQLNonTransientConnectionException || e instanceof OptimisticLockException
                    || e instanceof PessimisticLockException || e instanceof LockTimeoutException
                    || e instanceof QueryTimeoutException || e instanceof StaleStateException) {
                return true;
            }
            if (e instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null || state.equals("55P03") || Stream.of("08", "40", "53", "57", "58", "XX")
                        .anyMatch(state::startsWith)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Parks a record that failed every attempt; false when the database cannot take it either (retry then). */
    private boolean tryPark(ConsumerRecord<String, byte[]> record, String eventId, int attempts, String why) {
        try {
            parked.park(record, "not applied after " + attempts + " attempts: " + why, attempts);
        } catch (RuntimeException e) {
            LOG.warnf("event %s at %s-%d@%d could not be parked either, retrying: %s", eventId, record.topic(),
                    record.partition(), record.offset(), causes(e));
            return false;
        }
        LOG.errorf("event %s at %s-%d@%d PARKED after %d failed attempts, the records behind it go on; list with GET"
                + " /api/v1/events/parked, replay after a fix: %s", eventId, record.topic(), record.partition(),
                record.offset(), attempts, why);
        return true;
    }

    /** Parks a malformed record, trying until the database takes it (or the service stops). */
    private void parkMalformed(ConsumerRecord<String, byte[]> record, String eventId, String why) {
        registry.counter("pki.events.rejected", "topic", record.topic()).increment();
        LOG.errorf("malformed event %s at %s-%d@%d parked, the records behind it go on: %s", eventId,
                record.topic(), record.partition(), record.offset(), why);
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                parked.park(record, "malformed: " + why, 1);
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                LOG.warnf("malformed event %s could not be parked yet, retrying in %d ms: %s", eventId,
                        pause.toMillis(), causes(e));
                pauseFor(pause, e);
                pause = longer(pause);
            }
        }
    }

    private static Duration longer(Duration pause) {
        return pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
    }

    /** Counts a committed outcome: applied, or skipped as a duplicate. */
    private boolean counted(InboundEvent event, boolean applied) {
        registry.counter(applied ? "pki.events.applied" : "pki.events.duplicates", "type", event.type().ceType())
                .increment();
        return applied;
    }

    /** The failure and its causes on one line (a commit failure wraps the database's reason), redacted. */
    /** The deepest cause first (what refused, with its SQLState), then the whole chain. */
    static String rootFirst(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String state = root instanceof SQLException sql && sql.getSQLState() != null
                ? " [SQLState " + sql.getSQLState() + "]"
                : "";
        return SecretRedaction.redact(root + state) + "; through " + causes(failure);
    }

    private static String causes(Throwable failure) {
        StringBuilder line = new StringBuilder();
        for (Throwable e = failure; e != null && line.length() < 2000; e = e.getCause()) {
            line.append(line.isEmpty() ? "" : " <- ").append(e);
        }
        return SecretRedaction.redact(line.toString());
    }

    private static void pauseFor(Duration pause, RuntimeException failure) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(e);
            throw failure;
        }
    }
}
