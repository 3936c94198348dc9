package dev.smimepki.runtime.inbox;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.smimepki.core.PkiFormatException;

/**
 * The one way a service consumes platform events: parse the CloudEvent, skip it when its {@code ce_id} was already
 * applied (redelivery, replay), otherwise apply it and record the id in the same transaction.
 */
@ApplicationScoped
public class Inbox {
    private static final Logger LOG = Logger.getLogger(Inbox.class);
    private final EntityManager entityManager;
    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;

    Inbox(EntityManager entityManager, MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.entityManager = entityManager;
        this.registry = registry;
        this.transactions = transactions;
    }

    /**
     * Applies the record with {@code handler} unless it was applied before. A malformed record (also one whose body
     * the handler finds unusable: {@link MalformedEventException}, {@link PkiFormatException}) is counted, logged and
     * skipped with nothing written, since retrying cannot mend it; any other handler failure rolls back and
     * propagates, so the record is retried.
     *
     * @return true when the handler ran
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public boolean accept(ConsumerRecord<String, byte[]> record, Consumer<InboundEvent> handler) {
        InboundEvent event;
        try {
            event = InboundEvent.from(record);
        } catch (MalformedEventException e) {
            reject(record, e.eventId(), e.getMessage());
            return false;
        }
        int inserted = entityManager.createNativeQuery(
                "insert into processed_event (ce_id, ce_type) values (?1, ?2) on conflict do nothing")
                .setParameter(1, event.id())
                .setParameter(2, event.type().ceType())
                .executeUpdate();
        if (inserted == 0) {
            registry.counter("pki.events.duplicates", "type", event.type().ceType()).increment();
            return false;
        }
        try {
            handler.accept(event);
        } catch (MalformedEventException | PkiFormatException e) {
            transactions.setRollbackOnly();
            reject(record, event.id(), e.getMessage());
            return false;
        }
        registry.counter("pki.events.applied", "type", event.type().ceType()).increment();
        return true;
    }

    private void reject(ConsumerRecord<String, byte[]> record, String eventId, String why) {
        registry.counter("pki.events.rejected", "topic", record.topic()).increment();
        LOG.warnf("skipping malformed event %s at %s-%d@%d: %s", eventId, record.topic(), record.partition(),
                record.offset(), why);
    }
}
