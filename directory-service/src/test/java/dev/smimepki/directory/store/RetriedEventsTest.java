package dev.smimepki.directory.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;
import dev.smimepki.directory.DirectoryRows;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.runtime.inbox.InboundEvent;
import dev.smimepki.runtime.inbox.Inbox;

/**
 * A record whose write the database refuses (here: a unique key another writer committed first) is retried in place
 * until applied, once, and the refused attempt leaves nothing behind; the consumer does not stop on it.
 */
@QuarkusTest
class RetriedEventsTest {
    @Inject
    Inbox inbox;

    @Inject
    CertificateStore store;

    @Inject
    EntityManager entityManager;

    @Inject
    MeterRegistry registry;

    @Test
    void aWriteTheDatabaseRefusesIsRetriedUntilTheEventIsAppliedOnce() throws Exception {
        EndEntity entity = TestPki.create().issue("erin-" + UUID.randomUUID().toString().substring(0, 8)
                + "@example.com");
        String fingerprint = entity.certificate().fingerprintSha256();
        Instant earlier = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        String eventId = UUID.randomUUID().toString();
        ConsumerRecord<String, byte[]> record = BrokerEvents.received(eventId,
                new CertificateRevoked(fingerprint, entity.certificate().serialHex(), "ca", "superseded",
                        Instant.now()));
        double retriesBefore = retries();

        // another writer (a writer that skips this service's locks, as a buggy or older instance would) inserts the
        // same pending revocation and commits while the consumer's insert waits on it: the consumer's commit fails
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            PendingRevocation pending = new PendingRevocation();
            pending.fingerprintSha256 = fingerprint;
            pending.revokedAt = earlier;
            pending.reason = "keyCompromise";
            pending.persist();
            entityManager.flush();
            inserted.countDown();
            await(commit);
        }));
        await(inserted);
        int[] attempts = {0};
        CompletableFuture<Boolean> consumed = CompletableFuture.supplyAsync(() -> inbox.accept(record, event -> {
            attempts[0]++;
            apply(event);
        }));
        awaitBlockedOnALock();
        commit.countDown();
        other.get(30, TimeUnit.SECONDS);

        assertTrue(consumed.get(30, TimeUnit.SECONDS), "applied");
        assertTrue(attempts[0] >= 2, "retried after the refused commit: " + attempts[0] + " attempt(s)");
        assertTrue(retries() > retriesBefore, "the retry is counted");
        PendingRevocation kept = QuarkusTransaction.requiringNew().call(() -> PendingRevocation.findById(fingerprint));
        assertEquals(earlier, kept.revokedAt, "the first committed revocation is kept, not overwritten");
        assertEquals(1L, DirectoryRows.processed(entityManager, eventId), "the event id recorded once");
        assertFalse(inbox.accept(record, this::apply), "a redelivery is a duplicate");
    }

    private void apply(InboundEvent event) {
        store.recordRevoked((CertificateRevoked) event.body());
    }

    private void awaitBlockedOnALock() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            long waiting = QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                            + " and datname = current_database()")
                    .getSingleResult()).longValue());
            if (waiting > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the consumer never waited on the other writer's row");
    }

    private double retries() {
        return registry.find("pki.events.retries").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
