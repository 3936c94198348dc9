package dev.smimepki.directory.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;
import dev.smimepki.directory.harvest.HarvestIntake;
import dev.smimepki.events.CertificateRevoked;

/**
 * The writers that meet on one certificate in production (the consumers of both topics, on this and on other
 * instances) run here at once, each in its own transaction as the consumers do: no sighting, revocation or trust
 * decision may be overwritten or missed, and none may fail on a row another writer is inserting.
 */
@QuarkusTest
class ConcurrentWritesTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @Inject
    CertificateStore store;

    @Inject
    HarvestIntake intake;

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void sightingsOfOneCertificateFromManyWritersAreAllCountedAndItsRevocationAndAnchorAreKept() throws Exception {
        TestPki pki = TestPki.create();
        EndEntity bob = pki.issue("bob-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        EndEntity colleague = pki.issue("carol-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        Instant seen = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        int sightings = 120;

        List<Callable<Void>> writers = new ArrayList<>();
        for (int i = 0; i < sightings; i++) {
            // no chain in the message: bob's CA becomes known only from the issued event of a colleague
            Instant at = seen.plusSeconds(i);
            writers.add(inTransaction(() -> intake.accept(BrokerEvents.harvested(bob, "", true, at))));
        }
        writers.add(inTransaction(() -> store.recordIssued(BrokerEvents.issued(colleague), seen)));
        writers.add(inTransaction(() -> store.recordRevoked(new CertificateRevoked(
                bob.certificate().fingerprintSha256(), bob.certificate().serialHex(), "ca", "keyCompromise", seen))));
        runAtOnce(writers);

        DirectoryCertificate stored = find(bob.certificate().fingerprintSha256());
        assertEquals(sightings, stored.timesHarvested, "every sighting counted");
        assertEquals(seen, stored.firstSeen);
        assertEquals(seen.plusSeconds(sightings - 1), stored.lastSeen);
        assertNotNull(stored.revokedAt, "the revocation kept");
        assertEquals("keyCompromise", stored.revocationReason);
        assertEquals(DirectoryCertificate.Trust.trusted, stored.trust,
                "the anchor learnt meanwhile reaches the certificate: " + stored.trustDetail);
    }

    @Test
    void aRevocationThatArrivesWhileItsCertificateIsFirstStoredIsNeverLost() throws Exception {
        TestPki pki = TestPki.create();
        QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(pki.issue(
                "anchor-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")), Instant.now()));
        List<EndEntity> certificates = new ArrayList<>();
        List<Callable<Void>> writers = new ArrayList<>();
        Instant seen = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 60; i++) {
            EndEntity entity = pki.issue("dave-" + i + "-" + UUID.randomUUID().toString().substring(0, 8)
                    + "@example.com");
            certificates.add(entity);
            writers.add(inTransaction(() -> store.recordRevoked(new CertificateRevoked(
                    entity.certificate().fingerprintSha256(), entity.certificate().serialHex(), "ca", "superseded",
                    seen))));
            writers.add(i % 2 == 0
                    ? inTransaction(() -> intake.accept(BrokerEvents.harvested(entity, "", true, seen)))
                    : inTransaction(() -> store.recordIssued(BrokerEvents.issued(entity), seen)));
        }
        runAtOnce(writers);

        for (EndEntity entity : certificates) {
            String fingerprint = entity.certificate().fingerprintSha256();
            DirectoryCertificate stored = find(fingerprint);
            assertNotNull(stored.revokedAt, "revocation of " + fingerprint + " kept");
            assertEquals(0L, QuarkusTransaction.requiringNew()
                    .call(() -> PendingRevocation.count("fingerprintSha256", fingerprint)), "nothing left pending");
        }
    }

    private static Callable<Void> inTransaction(Runnable write) {
        return () -> {
            QuarkusTransaction.requiringNew().run(write);
            return null;
        };
    }

    /** Starts every writer together in shuffled order and fails on the first that failed. */
    private void runAtOnce(List<Callable<Void>> writers) throws Exception {
        Collections.shuffle(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> running = new ArrayList<>();
        for (Callable<Void> writer : writers) {
            running.add(pool.submit(() -> {
                start.await();
                return writer.call();
            }));
        }
        start.countDown();
        for (Future<Void> writer : running) {
            writer.get(60, TimeUnit.SECONDS);
        }
    }

    private static DirectoryCertificate find(String fingerprintSha256) {
        DirectoryCertificate found = QuarkusTransaction.requiringNew()
                .call(() -> DirectoryCertificate.findById(fingerprintSha256));
        assertNotNull(found, fingerprintSha256 + " stored");
        return found;
    }
}
