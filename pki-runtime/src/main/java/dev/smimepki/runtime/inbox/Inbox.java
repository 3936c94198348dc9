package dev.smimepki.runtime.inbox;

import java.time.Duration;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 */
@ApplicationScoped
public class Inbox {
    private static final Logger LOG = Logger.getLogger(Inbox.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    private final EntityManager entityManager;
    private final MeterRegistry registry;
    private volatile boolean stopping;

    Inbox(EntityManager entityManager, MeterRegistry registry) {
        this.entityManager = entityManager;
        this.registry = registry;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Applies the record with {@code handler}, each attempt in a transaction of its own, unless it was applied before.
     * A malformed record (also one whose body the handler finds unusable: {@link MalformedEventException},
     * {@link PkiFormatException}) is counted, logged and skipped with nothing written, since retrying cannot mend it.
     * Any other failure rolls the attempt back and is retried, until the service stops: the record is then left
     * uncommitted in Kafka and delivered again after the restart.
     *
     * @return true when the handler ran (false for a duplicate or a malformed record)
     */
    public boolean accept(ConsumerRecord<String, byte[]> record, Consumer<InboundEvent> handler) {
        InboundEvent event;
        try {
            event = InboundEvent.from(record);
        } catch (MalformedEventException e) {
            reject(record, e.eventId(), e.getMessage());
            return false;
        }
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> applyOnce(event, handler));
            } catch (MalformedEventException | PkiFormatException e) {
                reject(record, event.id(), e.getMessage());
                return false;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                registry.counter("pki.events.retries", "topic", record.topic()).increment();
                LOG.warnf("event %s at %s-%d@%d not applied (attempt %d), retrying in %d ms: %s", event.id(),
                        record.topic(), record.partition(), record.offset(), attempt, pause.toMillis(),
                        causes(e));
                pauseFor(pause, e);
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
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
            registry.counter("pki.events.duplicates", "type", event.type().ceType()).increment();
            return false;
        }
        handler.accept(event); // a malformed body throws, which rolls back the id too
        registry.counter("pki.events.applied", "type", event.type().ceType()).increment();
        return true;
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

    private void reject(ConsumerRecord<String, byte[]> record, String eventId, String why) {
        registry.counter("pki.events.rejected", "topic", record.topic()).increment();
        LOG.warnf("skipping malformed event %s at %s-%d@%d: %s", eventId, record.topic(), record.partition(),
                record.offset(), why);
    }
}
