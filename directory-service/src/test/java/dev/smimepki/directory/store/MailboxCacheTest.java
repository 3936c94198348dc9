package dev.smimepki.directory.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;

/**
 * Look-ups are served from memory and never stale: a change made anywhere reaches every instance's cache through
 * PostgreSQL's notifications, a change made here at once, and a lost listener forgets everything. A change made
 * with the triggers suppressed (another writer that does not notify) shows whether a look-up came from the cache.
 */
@QuarkusTest
class MailboxCacheTest {
    private final TestPki pki = TestPki.create();

    @Inject
    CertificateStore store;

    @Inject
    MailboxCache cache;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void listenerIsConnected() throws InterruptedException {
        CacheNotifications.await(cache::listening, "the cache listens for changes");
    }

    @Test
    void aChangeCommittedByAnotherWriterIsHeardAndUntilThenTheCacheAnswers() throws Exception {
        String address = stored("alice");
        assertNull(store.forAddress(address).get(0).revokedAt);

        sql(true, "update directory_certificate set revoked_at = now() where fingerprint_sha256 = ?",
                fingerprintOf(address));
        double hits = registry.counter(MailboxCache.METRIC, "result", "hit").count();
        assertNull(store.forAddress(address).get(0).revokedAt, "served from the cache: the silent change is not read");
        assertEquals(hits + 1, registry.counter(MailboxCache.METRIC, "result", "hit").count(), "counted as a hit");

        sql(false, "update directory_certificate set revocation_reason = 'keyCompromise'"
                + " where fingerprint_sha256 = ?", fingerprintOf(address));
        CacheNotifications.await(() -> store.forAddress(address).get(0).revokedAt != null,
                "the notified change is read");
        assertEquals("keyCompromise", store.forAddress(address).get(0).revocationReason);
    }

    @Test
    void aCommitOfThisInstanceIsReadAtOnce() {
        String address = "bob-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        assertTrue(store.forAddress(address).isEmpty(), "nothing known yet, and that answer is kept");
        EndEntity bob = pki.issue(address);
        QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(bob), Instant.now()));
        assertEquals(1, store.forAddress(address).size(), "the issuance is read as soon as its commit returns");
    }

    /**
     * While certificates are issued, some mailbox is forgotten every few milliseconds: a look-up read meanwhile is
     * still kept, unless its own mailbox was forgotten (its read may predate the change).
     */
    @Test
    void aReadIsKeptUnlessItsOwnMailboxWasForgottenMeanwhile() {
        String address = "frank-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        AtomicInteger reads = new AtomicInteger();
        cache.forMailbox(address, () -> {
            reads.incrementAndGet();
            cache.forget(List.of("someone-else-" + UUID.randomUUID() + "@example.com"));
            return List.of();
        });
        cache.forMailbox(address, () -> {
            reads.incrementAndGet();
            return List.of();
        });
        assertEquals(1, reads.get(), "kept although another mailbox was forgotten during the read");

        String changing = "grace-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        cache.forMailbox(changing, () -> {
            reads.incrementAndGet();
            cache.forget(List.of(changing));
            return List.of();
        });
        cache.forMailbox(changing, () -> {
            reads.incrementAndGet();
            return List.of();
        });
        assertEquals(3, reads.get(), "not kept: its own mailbox was forgotten during the read");
    }

    @Test
    void aLostListenerForgetsEverythingAndListensAgain() throws Exception {
        String address = stored("carol");
        cachedThenRevokedSilently(address);

        sql(false, "select pg_terminate_backend(pid) from pg_stat_activity where application_name = ?",
                MailboxCache.APPLICATION_NAME);
        CacheNotifications.await(() -> store.forAddress(address).get(0).revokedAt != null,
                "what was cached is forgotten with the connection");

        CacheNotifications.await(cache::listening, "the listener reconnects");
        store.forAddress(address);
        sql(true, "update directory_certificate set revocation_reason = 'superseded' where fingerprint_sha256 = ?",
                fingerprintOf(address));
        assertNull(store.forAddress(address).get(0).revocationReason, "cached again once listening");
    }

    @Test
    void aMailboxTooLongForANotificationForgetsEveryMailbox() throws Exception {
        String address = stored("dave");
        cachedThenRevokedSilently(address);

        String other = stored("erin");
        sql(false, "insert into directory_mailbox (address, fingerprint_sha256) values (?, ?)",
                "x".repeat(7_100) + "@example.com", fingerprintOf(other));
        CacheNotifications.await(() -> store.forAddress(address).get(0).revokedAt != null, "everything is forgotten");
    }

    /**
     * Stores a certificate and waits until the listener heard its commit: a notification heard after a look-up
     * would forget that look-up (harmless, but the test could not tell a cached answer from a read one).
     */
    private String stored(String name) throws Exception {
        String address = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        EndEntity entity = pki.issue(address);
        QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(entity), Instant.now()));
        CacheNotifications.awaitHeard(dataSource, cache); // the issuance's notification was heard too
        return address;
    }

    /**
     * Looks the address up (so it is cached), revokes its certificate without notifying anyone, and checks that the
     * next look-up still answers what was cached.
     */
    private void cachedThenRevokedSilently(String address) throws SQLException {
        assertNull(store.forAddress(address).get(0).revokedAt);
        sql(true, "update directory_certificate set revoked_at = now() where fingerprint_sha256 = ?",
                fingerprintOf(address));
        assertNull(store.forAddress(address).get(0).revokedAt, "served from the cache: the silent change is not read");
    }

    private String fingerprintOf(String address) {
        return store.forAddress(address).get(0).fingerprintSha256;
    }

    /** Runs one statement in its own session; {@code silent}: with triggers off, so nobody is notified. */
    private void sql(boolean silent, String statement, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (silent) {
                try (Statement replica = connection.createStatement()) {
                    replica.execute("set session_replication_role = replica");
                }
            }
            try (PreparedStatement prepared = connection.prepareStatement(statement)) {
                for (int i = 0; i < parameters.length; i++) {
                    prepared.setString(i + 1, parameters[i]);
                }
                prepared.execute();
            } finally {
                if (silent) {
                    try (Statement origin = connection.createStatement()) {
                        origin.execute("set session_replication_role = origin");
                    }
                }
            }
        }
    }
}
