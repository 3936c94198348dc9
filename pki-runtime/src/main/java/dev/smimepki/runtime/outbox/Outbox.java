package dev.smimepki.runtime.outbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.smimepki.events.EventJson;
import dev.smimepki.events.EventType;
import dev.smimepki.events.PkiEvent;
import dev.smimepki.runtime.tx.AfterCommit;

/**
 * Records an event in the same database transaction as the state change it announces; {@link OutboxRelay} publishes
 * it after commit, so a committed change always gets its event and a rolled-back one never does.
 */
@ApplicationScoped
public class Outbox {
    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;
    private final String source;

    Outbox(EntityManager entityManager, TransactionSynchronizationRegistry transactions, OutboxRelay relay,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.relay = relay;
        this.source = "/" + applicationName;
    }

    /** Appends the event to the outbox of the current transaction and returns its CloudEvents id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID publish(PkiEvent event) {
        EventType type = EventType.of(event);
        UUID id = UUID.randomUUID();
        append(id, type.ceType(), source, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC), type.topic(),
                event.fingerprintSha256(), EventJson.write(event));
        return id;
    }

    /**
     * Appends an event received before, as it was, to the outbox of the current transaction: a parked event being
     * replayed. When this outbox already holds that {@code ce_id} (replayed before), it goes out again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void republish(UUID ceId, String ceType, String ceSource, OffsetDateTime ceTime, String topic,
            String recordKey, byte[] payload) {
        append(ceId, ceType, ceSource, ceTime, topic, recordKey, payload);
    }

    private void append(UUID ceId, String ceType, String ceSource, OffsetDateTime ceTime, String topic,
            String recordKey, byte[] payload) {
        entityManager.createNativeQuery("""
                insert into outbox_event (ce_id, ce_type, ce_source, ce_time, topic, record_key, payload)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                on conflict (ce_id) do update set ce_type = excluded.ce_type, ce_source = excluded.ce_source,
                    ce_time = excluded.ce_time, topic = excluded.topic, record_key = excluded.record_key,
                    payload = excluded.payload, published_at = null""")
                .setParameter(1, ceId)
                .setParameter(2, ceType)
                .setParameter(3, ceSource)
                .setParameter(4, ceTime)
                .setParameter(5, topic)
                .setParameter(6, recordKey)
                .setParameter(7, payload)
                .executeUpdate();
        AfterCommit.run(transactions, relay::wakeUp);
    }
}
