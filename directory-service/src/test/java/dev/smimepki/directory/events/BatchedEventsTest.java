package dev.smimepki.directory.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;
import dev.smimepki.directory.DirectoryRows;
import dev.smimepki.directory.store.CertificateStore;
import dev.smimepki.directory.store.DirectoryCertificate;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.runtime.inbox.InboundEvent;
import dev.smimepki.runtime.inbox.Inbox;

/**
 * The records of one poll are applied in one transaction; when one of them cannot be applied, the others still are,
 * each once, and the bad one leaves nothing behind.
 */
@QuarkusTest
class BatchedEventsTest {
    @Inject
    Inbox inbox;

    @Inject
    CertificateStore store;

    @Inject
    EntityManager entityManager;

    @Inject
    MeterRegistry registry;

    @Test
    void aPollIsAppliedInOneTransactionAndARedeliveredPollChangesNothing() {
        EndEntity alice = TestPki.shared().issue("batch-alice-" + tag() + "@example.com");
        CertificateIssued issued = BrokerEvents.issued(alice);
        String issuedId = UUID.randomUUID().toString();
        String revokedId = UUID.randomUUID().toString();
        Instant revokedAt = Instant.now().minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<ConsumerRecord<String, byte[]>> poll = List.of(
                BrokerEvents.received(issuedId, issued),
                BrokerEvents.received(issuedId, issued), // the same event twice in one poll
                BrokerEvents.received(revokedId, new CertificateRevoked(issued.fingerprintSha256(), issued.serial(),
                        issued.caId(), "keyCompromise", revokedAt)));
        double batchesBefore = batches("applied");

        assertEquals(2, inbox.acceptAll(poll, this::apply), "issued and revoked applied, the copy skipped");
        assertEquals(batchesBefore + 1, batches("applied"), "in one transaction");
        DirectoryCertificate stored = find(issued.fingerprintSha256());
        assertNotNull(stored);
        assertEquals(revokedAt, stored.revokedAt, "the revocation saw the issuance of the same poll");
        assertEquals(2, processed(issuedId, revokedId));

        assertEquals(0, inbox.acceptAll(poll, this::apply), "a redelivered poll is all duplicates");
    }

    @Test
    void aRecordThatCannotBeAppliedRollsThePollBackAndTheOthersAreAppliedOneByOne() {
        EndEntity bob = TestPki.shared().issue("batch-bob-" + tag() + "@example.com");
        EndEntity carol = TestPki.shared().issue("batch-carol-" + tag() + "@example.com");
        EndEntity dave = TestPki.shared().issue("batch-dave-" + tag() + "@example.com");
        CertificateIssued bobIssued = BrokerEvents.issued(bob);
        CertificateIssued carolIssued = BrokerEvents.issued(carol);
        // well-formed JSON whose certificate is not the one it names: only the handler can tell
        CertificateIssued lying = new CertificateIssued(carolIssued.fingerprintSha256(), carolIssued.serial(),
                carolIssued.caId(), carolIssued.emails(), carolIssued.notBefore(), carolIssued.notAfter(), null,
                dave.certificate().pem(), carolIssued.chainPem());
        String bobId = UUID.randomUUID().toString();
        String lyingId = UUID.randomUUID().toString();
        String carolId = UUID.randomUUID().toString();
        double oneByOneBefore = batches("one-by-one");

        assertEquals(2, inbox.acceptAll(List.of(BrokerEvents.received(bobId, bobIssued),
                BrokerEvents.received(lyingId, lying), BrokerEvents.received(carolId, carolIssued)), this::apply));

        assertEquals(oneByOneBefore + 1, batches("one-by-one"), "the poll was rolled back and applied one by one");
        assertNotNull(find(bobIssued.fingerprintSha256()), "the record before the bad one is applied");
        assertNotNull(find(carolIssued.fingerprintSha256()), "the record after the bad one is applied");
        assertNull(find(dave.certificate().fingerprintSha256()), "the bad record wrote nothing");
        assertEquals(2, processed(bobId, lyingId, carolId), "each good event id recorded once, the bad one not");
    }

    private void apply(InboundEvent event) {
        if (event.body() instanceof CertificateIssued issued) {
            store.recordIssued(issued, event.time());
        } else if (event.body() instanceof CertificateRevoked revoked) {
            store.recordRevoked(revoked);
        }
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private double batches(String outcome) {
        var counter = registry.find("pki.events.batches").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private DirectoryCertificate find(String fingerprint) {
        return DirectoryRows.find(entityManager, fingerprint);
    }

    private long processed(String... ids) {
        return DirectoryRows.processed(entityManager, ids);
    }
}
