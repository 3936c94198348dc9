package dev.smimepki.runtime.inbox;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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
import dev.smimepki.runtime.tx.DatabaseFailures;

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
    private final Duration transactionTimeout;
    private volatile boolean stopping;

    Inbox(EntityManager entityManager, MeterRegistry registry, ParkedEvents parked,
            @ConfigProperty(name = "pki.events.park-after", defaultValue = "5") int parkAfter,
            @ConfigProperty(name = "quarkus.transaction-manager.default-transaction-timeout", defaultValue = "60S") Duration transactionTimeout) {
        this.entityManager = entityManager;
        this.registry = registry;
        this.parked = parked;
        this.parkAfter = Math.max(1, parkAfter);
        this.transactionTimeout = transactionTimeout;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Applies the records of one poll, in their order, in one transaction; if that fails, each record on its own
     * ({@link #accept}). Malformed records are parked either way, and so is every record whose key (the
     * certificate's fingerprint) has an earlier record parked: the events of one certificate are applied in order
     * or not at all.
     *
     * @return how many records the handler applied (duplicates and parked records not counted)
     */
    public int acceptAll(Iterable<ConsumerRecord<String, byte[]>> records, Consumer<InboundEvent> handler) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        records.forEach(all::add);
        if (all.isEmpty()) {
            return 0;
        }
        Set<String> held = new HashSet<>(heldKeys(all));
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        List<InboundEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : all) {
            try {
                InboundEvent event = InboundEvent.from(record);
                if (held.contains(ParkedEvents.heldKey(record))) {
                    parkHeld(record, event.id());
                } else {
                    events.add(event);
                    received.add(record);
                }
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
            ConsumerRecord<String, byte[]> record = received.get(i);
            if (held.contains(ParkedEvents.heldKey(record))) {
                parkHeld(record, events.get(i).id());
                continue;
            }
            Outcome outcome = accept(record, events.get(i), handler);
            if (outcome == Outcome.FAILED && record.key() != null) {
                held.add(ParkedEvents.heldKey(record));
            }
            applied += outcome == Outcome.APPLIED ? 1 : 0;
        }
        return applied;
    }

    /**
     * Applies the record with {@code handler}, each attempt in a transaction of its own, unless it was applied before.
     * A malformed record (also one whose body the handler finds unusable: {@link MalformedEventException},
     * {@link PkiFormatException}) is parked with nothing else written, since retrying cannot mend it. Any other
     * failure rolls the attempt back and is retried; after {@code pki.events.park-after} attempts, unless the failure
     * is {@link #passing} or the attempt outlived the transaction timeout (a machine too busy to finish in time, not a
     * record that cannot be applied), the record is parked. A record whose key has an earlier record parked is parked behind it
     * without an attempt. If the service stops meanwhile, the record is left uncommitted in Kafka and delivered again
     * after the restart.
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
        if (heldKeys(List.of(record)).contains(ParkedEvents.heldKey(record))) {
            parkHeld(record, event.id());
            return false;
        }
        return accept(record, event, handler) == Outcome.APPLIED;
    }

    /** What became of a record: applied, skipped as applied before, or parked as malformed or as failed. */
    private enum Outcome {
        APPLIED,
        DUPLICATE,
        MALFORMED,
        FAILED
    }

    private Outcome accept(ConsumerRecord<String, byte[]> record, InboundEvent event, Consumer<InboundEvent> handler) {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1;; attempt++) {
            long started = System.nanoTime();
            try {
                return counted(event, QuarkusTransaction.requiringNew().call(() -> applyOnce(event, handler)))
                        ? Outcome.APPLIED
                        : Outcome.DUPLICATE;
            } catch (MalformedEventException | PkiFormatException e) {
                parkMalformed(record, event.id(), e.getMessage());
                return Outcome.MALFORMED;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                boolean outlived = System.nanoTime() - started >= transactionTimeout.toNanos();
                if (attempt >= parkAfter && !passing(e) && !outlived
                        && tryPark(record, event.id(), attempt, rootFirst(e))) {
                    return Outcome.FAILED;
                }
                registry.counter("pki.events.retries", "topic", record.topic()).increment();
                LOG.warnf("event %s at %s-%d@%d not applied (attempt %d%s), retrying in %d ms: %s", event.id(),
                        record.topic(), record.partition(), record.offset(), attempt,
                        outlived ? ", outlived the " + transactionTimeout.toSeconds() + " s transaction timeout" : "",
                        pause.toMillis(), causes(e));
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
     * Whether the failure says the database is away ({@link DatabaseFailures#unavailable}) or in a conflict that
     * passes (transaction rollback, a lock or a row version another transaction holds, a query timeout, an internal
     * error): such a record is retried however long it takes, never parked.
     */
    static boolean passing(Throwable failure) {
        if (DatabaseFailures.unavailable(failure)) {
            return true;
        }
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof SQLTransientException || e instanceof OptimisticLockException
                    || e instanceof PessimisticLockException || e instanceof LockTimeoutException
                    || e instanceof QueryTimeoutException || e instanceof StaleStateException) {
                return true;
            }
            if (e instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.equals("55P03") || state.startsWith("40") || state.startsWith("XX"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Parks a record that failed every attempt; false when the database cannot take it either (retry then). */
    private boolean tryPark(ConsumerRecord<String, byte[]> record, String eventId, int attempts, String why) {
        try {
            parked.park(record, ParkedEvents.Cause.FAILED, "not applied after " + attempts + " attempts: " + why,
                    attempts);
        } catch (RuntimeException e) {
            LOG.warnf("event %s at %s-%d@%d could not be parked either, retrying: %s", eventId, record.topic(),
                    record.partition(), record.offset(), causes(e));
            return false;
        }
        LOG.errorf("event %s at %s-%d@%d PARKED after %d failed attempts, the records behind it go on (those of the"
                + " same certificate are parked behind it); list with GET /api/v1/events/parked, replay after a fix:"
                + " %s", eventId, record.topic(), record.partition(), record.offset(), attempts, why);
        return true;
    }

    /** Parks a malformed record. */
    private void parkMalformed(ConsumerRecord<String, byte[]> record, String eventId, String why) {
        registry.counter("pki.events.rejected", "topic", record.topic()).increment();
        LOG.errorf("malformed event %s at %s-%d@%d parked, the records behind it go on: %s", eventId,
                record.topic(), record.partition(), record.offset(), why);
        parkedUntilTaken(() -> parked.park(record, ParkedEvents.Cause.MALFORMED, "malformed: " + why, 1));
    }

    /** Parks a record behind an earlier parked record of the same key, unattempted. */
    private void parkHeld(ConsumerRecord<String, byte[]> record, String eventId) {
        LOG.errorf("event %s at %s-%d@%d parked unattempted: an earlier event of its certificate %s is parked", eventId,
                record.topic(), record.partition(), record.offset(), record.key());
        parkedUntilTaken(() -> parked.park(record, ParkedEvents.Cause.HELD, "held behind an earlier parked event of"
                + " the same key " + record.key() + ": replaying that one sends this one too", 0));
    }

    /**
     * The keys held behind parked records, read before the records are applied: while the database does not answer,
     * the records are not applied and wait, retried and counted as any other record is.
     */
    private Set<String> heldKeys(List<ConsumerRecord<String, byte[]>> records) {
        ConsumerRecord<String, byte[]> first = records.get(0);
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1;; attempt++) {
            try {
                return parked.heldKeys();
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                registry.counter("pki.events.retries", "topic", first.topic()).increment();
                LOG.warnf("%d event(s) from %s-%d@%d not applied (attempt %d), retrying in %d ms: the parked events"
                        + " cannot be read: %s", records.size(), first.topic(), first.partition(), first.offset(),
                        attempt, pause.toMillis(), causes(e));
                pauseFor(pause, e);
                pause = longer(pause);
            }
        }
    }

    /** Parks with {@code step}, trying until the database takes it (or the service stops). */
    private void parkedUntilTaken(Runnable step) {
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                step.run();
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                LOG.warnf("a record could not be parked yet, retrying in %d ms: %s", pause.toMillis(), causes(e));
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

    /** The deepest cause's message first (what refused, with its SQLState), then the whole chain. */
    static String rootFirst(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String state = root instanceof SQLException sql && sql.getSQLState() != null
                ? " [SQLState " + sql.getSQLState() + "]"
                : "";
        String what = root.getMessage() == null || root.getMessage().isBlank() ? root.toString() : root.getMessage();
        return SecretRedaction.redact(what.strip() + state) + "; through " + causes(failure);
    }

    /** The failure and its causes on one line (a commit failure wraps the database's reason), redacted. */
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
