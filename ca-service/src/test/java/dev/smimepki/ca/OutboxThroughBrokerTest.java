package dev.smimepki.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.EventJson;
import dev.smimepki.events.Topics;
import dev.smimepki.infra.test.TopicReader;
import dev.smimepki.runtime.outbox.Outbox;

/** The outbox relay publishes committed events to the real broker exactly once, and never a rolled-back one. */
@QuarkusTest
class OutboxThroughBrokerTest {
    @Inject
    Outbox outbox;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void committedEventArrivesOnceWithCloudEventHeaders() {
        CertificateIssued issued = issuedEvent();
        UUID id = QuarkusTransaction.requiringNew().call(() -> outbox.publish(issued));

        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrapServers, Topics.CERTIFICATES,
                r -> issued.fingerprintSha256().equals(r.key()), 1, Duration.ofSeconds(30));

        assertEquals(1, records.size(), "exactly one record for the committed event");
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertEquals(id.toString(), header(record, CloudEventHeaders.ID));
        assertEquals("pki.certificate.issued.v1", header(record, CloudEventHeaders.TYPE));
        assertEquals("/ca-service", header(record, CloudEventHeaders.SOURCE));
        assertEquals("1.0", header(record, CloudEventHeaders.SPEC_VERSION));
        assertEquals("application/json", header(record, CloudEventHeaders.CONTENT_TYPE));
        Instant ceTime = Instant.parse(header(record, CloudEventHeaders.TIME));
        assertTrue(Duration.between(ceTime, Instant.now()).abs().toMinutes() < 5, "ce_time is now");
        assertEquals(issued, EventJson.read(record.value(), CertificateIssued.class));
    }

    @Test
    void rolledBackEventIsNeverPublished() {
        CertificateIssued doomed = issuedEvent();
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.publish(doomed);
            throw new IllegalStateException("the state change failed after the event was written");
        }));
        CertificateIssued marker = issuedEvent();
        QuarkusTransaction.requiringNew().run(() -> outbox.publish(marker));

        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrapServers, Topics.CERTIFICATES,
                r -> doomed.fingerprintSha256().equals(r.key()) || marker.fingerprintSha256().equals(r.key()), 1,
                Duration.ofSeconds(30));
        assertEquals(List.of(marker.fingerprintSha256()), records.stream().map(ConsumerRecord::key).toList());
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        assertThrows(Exception.class, () -> outbox.publish(issuedEvent()));
    }

    private static CertificateIssued issuedEvent() {
        String fingerprint = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 64);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new CertificateIssued(fingerprint, "1a2b", UUID.randomUUID().toString(), List.of("alice@example.com"),
                now, now.plus(365, ChronoUnit.DAYS), null, "-----BEGIN CERTIFICATE-----\n", "");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
