package dev.smimepki.runtime.inbox;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.outbox.Outbox;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;
import dev.smimepki.runtime.tx.SqlColumns;

/**
 * Events the {@link Inbox} gave up on, kept whole in {@code parked_event} (migration V0_3) so that nothing is lost
 * while the records behind them go on. An administrator lists them, replays one after a fix (it goes out again
 * through this service's outbox, with its original {@code ce_id}, and every consumer of the topic sees it again;
 * the ones that applied it skip it) or discards it. Parking, replaying and discarding are audited: a parked
 * revocation is a certificate the directory still shows as valid.
 */
@ApplicationScoped
public class ParkedEvents {
    static final int MAX_PAGE_SIZE = 100;
    private static final int MAX_REASON = 2_000;

    private final EntityManager entityManager;
    private final AuditLog audit;
    private final Outbox outbox;
    private final MeterRegistry registry;
    private final String source;

    ParkedEvents(EntityManager entityManager, AuditLog audit, Outbox outbox, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.entityManager = entityManager;
        this.audit = audit;
        this.outbox = outbox;
        this.registry = registry;
        this.source = "/" + applicationName;
    }

    /** Why a record is parked; only a record the database refused holds the later records of its key behind it. */
    public enum Cause {
        /** Not a platform event this version can read: never held anything. */
        MALFORMED,
        /** Refused on every attempt while the database answered. */
        FAILED,
        /** Not attempted: an earlier record of its key is parked. */
        HELD;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A parked record as an administrator sees it.
     *
     * @param payload the body when it is UTF-8 text (JSON), else null
     * @param payloadBase64 the body when it is not UTF-8 text, else null
     */
    public record Parked(long id, String topic, int partition, long offset, String key, String ceId, String ceType,
            String ceSource, String ceTime, String payload, String payloadBase64, Cause cause, String reason,
            int attempts, Instant parkedAt) {
    }

    /** What one replay published again, in order: the record asked for, then those held behind it. */
    public record Replayed(List<Parked> items) {
    }

    /**
     * One page of parked records, oldest first.
     *
     * @param total parked records over all pages
     */
    public record Page(List<Parked> items, int page, int size, long total) {
    }

    /**
     * Keeps the record in a transaction of its own, with the audit entry; a record parked before (a redelivery) is
     * left as it is. Throws when the database cannot take it: the caller keeps the record and tries again.
     */
    void park(ConsumerRecord<String, byte[]> record, Cause cause, String reason, int attempts) {
        String why = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason;
        boolean parkedNow = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object> ids = entityManager.createNativeQuery("""
                    insert into parked_event (topic, kafka_partition, kafka_offset, record_key, ce_id, ce_type,
                        ce_source, ce_time, payload, cause, reason, attempts)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                    on conflict do nothing
                    returning id""")
                    .setParameter(1, record.topic())
                    .setParameter(2, record.partition())
                    .setParameter(3, record.offset())
                    .setParameter(4, record.key())
                    .setParameter(5, InboundEvent.header(record, CloudEventHeaders.ID))
                    .setParameter(6, InboundEvent.header(record, CloudEventHeaders.TYPE))
                    .setParameter(7, InboundEvent.header(record, CloudEventHeaders.SOURCE))
                    .setParameter(8, InboundEvent.header(record, CloudEventHeaders.TIME))
                    .setParameter(9, record.value())
                    .setParameter(10, cause.column())
                    .setParameter(11, why)
                    .setParameter(12, attempts)
                    .getResultList();
            if (!ids.isEmpty()) {
                audit.append("event:" + record.topic(), EventAction.EVENT_PARKED, target(record),
                        "parked as " + ids.get(0) + " (" + cause.column() + ") after " + attempts + " attempt(s): "
                                + why);
            }
            return !ids.isEmpty();
        });
        if (parkedNow) {
            registry.counter("pki.events.parked", "topic", record.topic()).increment();
        }
    }

    /**
     * The keys ({@link #heldKey}) under which a record the database refused, or one held behind it, is parked: the
     * later records of these keys are parked behind them. Empty, and one cheap query, while nothing is parked.
     */
    @Transactional
    public Set<String> heldKeys() {
        @SuppressWarnings("unchecked")
        List<String> keys = entityManager.createNativeQuery("select distinct topic || ' ' || record_key from"
                + " parked_event where cause <> 'malformed' and record_key is not null").getResultList();
        return Set.copyOf(keys);
    }

    /** The key a record is held under (topic names have no spaces); null for a record without a key. */
    static String heldKey(ConsumerRecord<String, byte[]> record) {
        return record.key() == null ? null : record.topic() + " " + record.key();
    }

    /** One page, oldest first; 400 for a page below 0 or a size outside 1 to 100. */
    @Transactional
    public Page page(int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ProblemException(Kind.MALFORMED, "invalid-page",
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        List<?> rows = entityManager.createNativeQuery("select " + COLUMNS
                + " from parked_event order by id limit ?1 offset ?2")
                .setParameter(1, size)
                .setParameter(2, (long) page * size)
                .getResultList();
        long total = ((Number) entityManager.createNativeQuery("select count(*) from parked_event")
                .getSingleResult()).longValue();
        return new Page(rows.stream().map(row -> parked((Object[]) row)).toList(), page, size, total);
    }

    /** The parked record; 404 when there is none with this id. */
    @Transactional
    public Parked get(long id) {
        return parked(row(id, false));
    }

    /**
     * Publishes the parked record again through this service's outbox, as it was (its {@code ce_id}, type, source,
     * time, key and body), followed by the records parked behind it (same topic and key, in their order), and forgets
     * them, in one transaction with an audit entry each. 404 for an unknown id; 422 for a record held behind an older
     * one (replay that one), and when this version of the service still cannot read one as a platform event (its
     * headers or body are malformed, its {@code ce_id} is not a uuid, it has no key or it is on the wrong topic):
     * discard that one then.
     */
    @Transactional
    public Replayed replay(long id, String actor) {
        Object[] first = row(id, true);
        Parked asked = parked(first);
        List<Object[]> rows = new ArrayList<>();
        if (asked.cause() == Cause.MALFORMED || asked.key() == null) {
            rows.add(first);
        } else {
            entityManager.createNativeQuery("select " + COLUMNS + " from parked_event where topic = ?1 and record_key"
                    + " = ?2 and cause <> 'malformed' order by id for update")
                    .setParameter(1, asked.topic())
                    .setParameter(2, asked.key())
                    .getResultList().forEach(row -> rows.add((Object[]) row));
            long oldest = ((Number) rows.get(0)[0]).longValue();
            if (oldest != id) {
                throw new ProblemException(Kind.REFUSED_BY_POLICY, "parked-event-not-replayable", "parked event " + id
                        + " is held behind parked event " + oldest + " of the same key " + asked.key()
                        + ": replay that one, which sends this one too");
            }
        }
        List<Parked> replayed = new ArrayList<>();
        for (Object[] row : rows) {
            Parked parked = parked(row);
            byte[] payload = (byte[]) row[9];
            InboundEvent event = replayable(parked, payload);
            outbox.republish(UUID.fromString(parked.ceId()), parked.ceType(), parked.ceSource() == null
                    ? source
                    : parked.ceSource(), OffsetDateTime.ofInstant(event.time(), ZoneOffset.UTC), parked.topic(),
                    parked.key(), payload);
            entityManager.createNativeQuery("delete from parked_event where id = ?1").setParameter(1, parked.id())
                    .executeUpdate();
            audit.append(actor, EventAction.PARKED_EVENT_REPLAYED, parked.ceId(), "parked event " + parked.id()
                    + " from " + parked.topic() + "-" + parked.partition() + "@" + parked.offset()
                    + " published again" + (parked.id() == id ? "" : " behind parked event " + id));
            replayed.add(parked);
        }
        return new Replayed(replayed);
    }

    /** The record read again with this version's parser; 422 naming the record when it cannot go out again. */
    private static InboundEvent replayable(Parked parked, byte[] payload) {
        InboundEvent event;
        try {
            event = InboundEvent.from(asReceived(parked, payload));
        } catch (MalformedEventException e) {
            throw notReplayable(parked, "it is malformed: " + e.getMessage());
        }
        requireUuidId(parked);
        if (!event.type().topic().equals(parked.topic())) {
            throw notReplayable(parked, "a " + parked.ceType() + " event does not belong on " + parked.topic());
        }
        if (parked.key() == null) {
            throw notReplayable(parked, "it has no record key (the platform keys events by fingerprint)");
        }
        return event;
    }

    /** The parked record as the consumer received it, for reading it again with this version's parser. */
    private static ConsumerRecord<String, byte[]> asReceived(Parked parked, byte[] payload) {
        RecordHeaders headers = new RecordHeaders();
        addHeader(headers, CloudEventHeaders.ID, parked.ceId());
        addHeader(headers, CloudEventHeaders.TYPE, parked.ceType());
        addHeader(headers, CloudEventHeaders.SOURCE, parked.ceSource());
        addHeader(headers, CloudEventHeaders.TIME, parked.ceTime());
        return new ConsumerRecord<>(parked.topic(), parked.partition(), parked.offset(),
                parked.parkedAt().toEpochMilli(), TimestampType.CREATE_TIME, -1, payload == null ? -1 : payload.length,
                parked.key(), payload, headers, Optional.empty());
    }

    private static void addHeader(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Forgets the parked record for good, audited; 404 for an unknown id. */
    @Transactional
    public Parked discard(long id, String actor) {
        Parked parked = parked(row(id, true));
        entityManager.createNativeQuery("delete from parked_event where id = ?1").setParameter(1, id).executeUpdate();
        audit.append(actor, EventAction.PARKED_EVENT_DISCARDED, parked.ceId() == null
                ? "parked:" + id
                : parked.ceId(),
                "parked event " + id + " (" + parked.ceType() + " from " + parked.topic() + "-"
                        + parked.partition() + "@" + parked.offset() + ") discarded; it had been parked because: "
                        + parked.reason());
        return parked;
    }

    private static final String COLUMNS = "id, topic, kafka_partition, kafka_offset, record_key, ce_id, ce_type,"
            + " ce_source, ce_time, payload, reason, attempts, parked_at, cause";

    private Object[] row(long id, boolean lock) {
        List<?> rows = entityManager.createNativeQuery("select " + COLUMNS + " from parked_event where id = ?1"
                + (lock ? " for update" : ""))
                .setParameter(1, id)
                .getResultList();
        if (rows.isEmpty()) {
            throw new ProblemException(Kind.NOT_FOUND, "parked-event-not-found", "no parked event " + id);
        }
        return (Object[]) rows.get(0);
    }

    /** Refuses a {@code ce_id} that is not a canonical uuid, as the outbox writes them. */
    private static void requireUuidId(Parked parked) {
        if (parked.ceId() == null) {
            throw notReplayable(parked, "it has no ce_id");
        }
        try {
            if (UUID.fromString(parked.ceId()).toString().equalsIgnoreCase(parked.ceId())) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // not a uuid: below
        }
        throw notReplayable(parked, "its ce_id " + parked.ceId() + " is not a uuid, as the outbox writes them");
    }

    private static ProblemException notReplayable(Parked parked, String why) {
        return new ProblemException(Kind.REFUSED_BY_POLICY, "parked-event-not-replayable", "parked event "
                + parked.id() + " cannot be published again: " + why + "; discard it instead");
    }

    private static Parked parked(Object[] row) {
        byte[] payload = (byte[]) row[9];
        String text = payload == null ? null : utf8(payload);
        return new Parked(((Number) row[0]).longValue(), (String) row[1], ((Number) row[2]).intValue(),
                ((Number) row[3]).longValue(), (String) row[4], (String) row[5], (String) row[6], (String) row[7],
                (String) row[8], text, payload != null && text == null
                        ? Base64.getEncoder().encodeToString(payload)
                        : null,
                Cause.valueOf(((String) row[13]).toUpperCase(Locale.ROOT)), (String) row[10],
                ((Number) row[11]).intValue(), SqlColumns.instant(row[12]));
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String target(ConsumerRecord<String, byte[]> record) {
        String id = InboundEvent.header(record, CloudEventHeaders.ID);
        return id != null ? id : record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
