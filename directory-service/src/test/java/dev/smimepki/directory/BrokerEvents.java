package dev.smimepki.directory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.events.CertificateHarvested;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.EventJson;
import dev.smimepki.events.EventType;
import dev.smimepki.events.PkiEvent;

/** Sends platform events through the real broker as ca-service and crypto-service do (CloudEvents binary mode). */
public final class BrokerEvents implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    public BrokerEvents(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends the event with the given {@code ce_id} to its topic and waits for the broker's acknowledgement. */
    public void send(String id, PkiEvent event) {
        send(id, EventType.of(event), event.fingerprintSha256(), EventJson.write(event));
    }

    /** Sends any body under a platform event's headers (a malformed event, when the body is not one). */
    public void send(String id, EventType type, String key, byte[] body) {
        try {
            producer.send(new ProducerRecord<>(type.topic(), null, key, body, headers(id, type))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send event", e);
        }
    }

    /** The event as the consumer receives it from the broker, for calling a consumer without one. */
    public static ConsumerRecord<String, byte[]> received(String id, PkiEvent event) {
        byte[] body = EventJson.write(event);
        return new ConsumerRecord<>(EventType.of(event).topic(), 0, 0, Instant.now().toEpochMilli(),
                TimestampType.CREATE_TIME, event.fingerprintSha256().length(), body.length, event.fingerprintSha256(),
                body, headers(id, EventType.of(event)), Optional.empty());
    }

    /** The CloudEvent attributes in Kafka binary mode. */
    private static RecordHeaders headers(String id, EventType type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes("1.0"));
        headers.add(CloudEventHeaders.ID, bytes(id));
        headers.add(CloudEventHeaders.TYPE, bytes(type.ceType()));
        headers.add(CloudEventHeaders.SOURCE, bytes("/test"));
        headers.add(CloudEventHeaders.TIME, bytes(Instant.now().toString()));
        return headers;
    }

    /** Sends with a fresh {@code ce_id}, returned. */
    public String send(PkiEvent event) {
        String id = UUID.randomUUID().toString();
        send(id, event);
        return id;
    }

    public static CertificateIssued issued(EndEntity entity) {
        return new CertificateIssued(entity.certificate().fingerprintSha256(), entity.certificate().serialHex(),
                UUID.randomUUID().toString(), entity.certificate().emails(), entity.certificate().notBefore(),
                entity.certificate().notAfter(), null, entity.certificate().pem(), entity.chain().pem());
    }

    /** A harvested event for the certificate, carrying the given chain PEM (may be empty). */
    public static CertificateHarvested harvested(EndEntity entity, String chainPem, boolean signatureValid,
            Instant seenAt) {
        return new CertificateHarvested(entity.certificate().fingerprintSha256(), entity.certificate().emails(),
                entity.certificate().pem(), chainPem, seenAt, signatureValid, null);
    }

    /** Waits up to 30 s for the condition. */
    public static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 30 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
