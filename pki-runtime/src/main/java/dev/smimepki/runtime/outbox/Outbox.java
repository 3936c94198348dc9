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
        entityManager.createNativeQuery("""
                insert into outbox_event (ce_id, ce_type, ce_source, ce_time, topic, record_key, payload)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, id)
                .setParameter(2, type.ceType())
                .setParameter(3, source)
                .setParameter(4, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC))
                .setParameter(5, type.topic())
                .setParameter(6, event.fingerprintSha256())
                .setParameter(7, EventJson.write(event))
                .executeUpdate();
        AfterCommit.run(transactions, relay::wakeUp);
        return id;
    }
}
