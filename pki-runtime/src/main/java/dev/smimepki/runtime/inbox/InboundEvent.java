package dev.smimepki.runtime.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.EventJson;
import dev.smimepki.events.EventType;
import dev.smimepki.events.PkiEvent;

/** A CloudEvent as received in Kafka binary mode: the attributes from headers, the body parsed by its type. */
public record InboundEvent(String id, EventType type, String source, Instant time, PkiEvent body) {

    /** Parses a record; anything that is not a well-formed platform event is a {@link MalformedEventException}. */
    public static InboundEvent from(ConsumerRecord<String, byte[]> record) {
        String id = header(record, CloudEventHeaders.ID);
        if (id == null || id.isBlank()) {
            throw new MalformedEventException(null, "missing " + CloudEventHeaders.ID + " header");
        }
        String ceType = header(record, CloudEventHeaders.TYPE);
        EventType type = EventType.ofCeType(String.valueOf(ceType))
                .orElseThrow(() -> new MalformedEventException(id, "unknown event type " + ceType));
        Instant time;
        try {
            String ceTime = header(record, CloudEventHeaders.TIME);
            time = ceTime == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(ceTime);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException(id, "malformed " + CloudEventHeaders.TIME + " header");
        }
        if (record.value() == null) {
            throw new MalformedEventException(id, "empty body");
        }
        try {
            return new InboundEvent(id, type, header(record, CloudEventHeaders.SOURCE), time,
                    EventJson.read(record.value(), type));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException(id, e.getMessage());
        }
    }

    /** The header's last value as UTF-8 text; null when the record has none. */
    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
