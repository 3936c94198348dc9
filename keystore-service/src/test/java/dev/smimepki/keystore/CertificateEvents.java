package dev.smimepki.keystore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.EventJson;
import dev.smimepki.events.EventType;
import dev.smimepki.events.PkiEvent;
import dev.smimepki.events.Topics;

/** Sends ca-service's events through the real broker, with CloudEvents headers, as ca-service's relay does. */
public final class CertificateEvents implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    public CertificateEvents() {
        String servers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
                new StringSerializer(), new ByteArraySerializer());
    }

    public static CertificateIssued issued(EndEntity entity, String keyId) {
        return new CertificateIssued(entity.certificate().fingerprintSha256(), entity.certificate().serialHex(),
                UUID.randomUUID().toString(), entity.certificate().emails(), entity.certificate().notBefore(),
                entity.certificate().notAfter(), keyId, entity.certificate().pem(), entity.chain().pem());
    }

    public static CertificateRevoked revoked(EndEntity entity, String reason) {
        return new CertificateRevoked(entity.certificate().fingerprintSha256(), entity.certificate().serialHex(),
                UUID.randomUUID().toString(), reason, Instant.now());
    }

    /** Sends with a new event id; returns the id. */
    public String send(PkiEvent event) {
        String id = UUID.randomUUID().toString();
        send(id, event);
        return id;
    }

    public void send(String id, PkiEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.add(CloudEventHeaders.ID, bytes(id));
        headers.add(CloudEventHeaders.TYPE, bytes(EventType.of(event).ceType()));
        headers.add(CloudEventHeaders.SOURCE, bytes("/test/ca-service"));
        headers.add(CloudEventHeaders.TIME, bytes(Instant.now().toString()));
        headers.add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
        try {
            producer.send(new ProducerRecord<>(Topics.CERTIFICATES, null, event.fingerprintSha256(),
                    EventJson.write(event), headers)).get();
        } catch (Exception e) {
            throw new AssertionError("cannot send to the broker", e);
        }
    }

    /** Waits up to 30 s for the condition, polling. */
    public static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
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
