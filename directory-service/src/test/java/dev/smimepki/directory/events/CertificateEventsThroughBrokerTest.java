package dev.smimepki.directory.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.DirectoryRows;
import dev.smimepki.directory.store.CertificateStore;
import dev.smimepki.directory.store.DirectoryCertificate;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.EventJson;
import dev.smimepki.events.EventType;
import dev.smimepki.events.PkiEvent;
import dev.smimepki.events.Topics;

/** ca-service's events, sent through the real broker, reach the directory once each, whatever is redelivered. */
@QuarkusTest
class CertificateEventsThroughBrokerTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    CertificateStore store;

    @Inject
    EntityManager entityManager;

    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void disconnect() {
        producer.close();
    }

    @Test
    void issuedThenRevokedIsAppliedOnceEachEvenWhenDeliveredTwice() throws Exception {
        EndEntity alice = TestPki.shared().issue("Alice.Smith@Example.COM", "alice@example.com");
        CertificateIssued issued = issued(alice);
        String issuedId = UUID.randomUUID().toString();
        send(issuedId, issued);
        send(issuedId, issued);

        await(() -> find(issued.fingerprintSha256()) != null);
        DirectoryCertificate stored = find(issued.fingerprintSha256());
        assertEquals(DirectoryCertificate.Source.issued, stored.source);
        assertEquals(DirectoryCertificate.Trust.trusted, stored.trust);
        assertEquals(alice.certificate().serialHex(), stored.serial);
        assertEquals(alice.chain().pem(), stored.chainPem);
        assertEquals(java.util.Set.of("Alice.Smith@example.com", "alice@example.com"), stored.addresses);
        assertEquals(1, QuarkusTransaction.requiringNew()
                .call(() -> store.forAddress("Alice.Smith@EXAMPLE.com")).size(),
                "found by address with the domain matched case-insensitively");
        assertEquals(0, QuarkusTransaction.requiringNew()
                .call(() -> store.forAddress("alice.smith@example.com")).size(),
                "the local part is matched as given");

        Instant revokedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CertificateRevoked revoked = new CertificateRevoked(issued.fingerprintSha256(), issued.serial(),
                issued.caId(), "keyCompromise", revokedAt);
        String revokedId = UUID.randomUUID().toString();
        send(revokedId, revoked);
        send(revokedId, revoked);
        // a later, different revocation event must not rewrite the first revocation
        send(UUID.randomUUID().toString(), new CertificateRevoked(issued.fingerprintSha256(), issued.serial(),
                issued.caId(), "superseded", revokedAt.plusSeconds(60)));
        send(issuedId, issued);

        await(() -> processed(issuedId, revokedId) == 2 && find(issued.fingerprintSha256()).revokedAt != null);
        Thread.sleep(1_500); // let the redeliveries behind them be consumed too
        DirectoryCertificate afterRevocation = find(issued.fingerprintSha256());
        assertEquals(revokedAt, afterRevocation.revokedAt);
        assertEquals("keyCompromise", afterRevocation.revocationReason);
        assertEquals(2, processed(issuedId, revokedId), "each event id recorded once");
    }

    @Test
    void malformedEventIsParkedAndTheStreamGoesOn() throws Exception {
        String badId = UUID.randomUUID().toString();
        RecordHeaders headers = headers(badId, EventType.CERTIFICATE_ISSUED);
        producer.send(new ProducerRecord<>(Topics.CERTIFICATES, null, "junk", "{\"serial\":".getBytes(
                StandardCharsets.UTF_8), headers)).get();
        EndEntity bob = TestPki.shared().issue("bob@example.org");
        CertificateIssued issued = issued(bob);
        send(UUID.randomUUID().toString(), issued);

        await(() -> find(issued.fingerprintSha256()) != null);
        assertNull(find("junk"));
        assertEquals(0, processed(badId), "a malformed event is not recorded as applied");
        assertNotNull(find(issued.fingerprintSha256()).addresses);
        await(() -> parked(badId) == 1);
    }

    private static CertificateIssued issued(EndEntity entity) {
        return new CertificateIssued(entity.certificate().fingerprintSha256(), entity.certificate().serialHex(),
                UUID.randomUUID().toString(), entity.certificate().emails(), entity.certificate().notBefore(),
                entity.certificate().notAfter(), null, entity.certificate().pem(), entity.chain().pem());
    }

    private void send(String id, PkiEvent event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.CERTIFICATES, null, event.fingerprintSha256(),
                EventJson.write(event), headers(id, EventType.of(event)))).get();
    }

    private static RecordHeaders headers(String id, EventType type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes("1.0"));
        headers.add(CloudEventHeaders.ID, bytes(id));
        headers.add(CloudEventHeaders.TYPE, bytes(type.ceType()));
        headers.add(CloudEventHeaders.SOURCE, bytes("/test"));
        headers.add(CloudEventHeaders.TIME, bytes(Instant.now().toString()));
        return headers;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private DirectoryCertificate find(String fingerprint) {
        return DirectoryRows.find(entityManager, fingerprint);
    }

    private long processed(String... ids) {
        return DirectoryRows.processed(entityManager, ids);
    }

    /** How many times the record with this id is parked (ParkedEventsTest covers the rest of parking). */
    private long parked(String id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "select count(*) from parked_event where ce_id = ?1 and reason like 'malformed%'").setParameter(1, id)
                .getSingleResult()).longValue());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "condition not met within 30 s");
            Thread.sleep(100);
        }
    }
}
