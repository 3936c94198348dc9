package dev.smimepki.directory.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;
import dev.smimepki.directory.DirectoryRows;
import dev.smimepki.directory.store.CertificateStore;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.runtime.inbox.Inbox;

/**
 * An attempt that outlives its transaction's timeout (the transaction reaper rolls it back; the commit then fails
 * with Hibernate's "rolled back in a different thread") is a machine too busy to finish in time, not an event that
 * cannot be applied: it is retried past the parking limit and applied, never parked.
 */
@QuarkusTest
@TestProfile(SlowAttemptsTest.ShortTransactions.class)
class SlowAttemptsTest {
    /** Transactions time out after 1 s, so that an attempt can outlive one quickly. */
    public static class ShortTransactions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.transaction-manager.default-transaction-timeout", "1S");
        }
    }

    @Inject
    Inbox inbox;

    @Inject
    CertificateStore store;

    @Inject
    EntityManager entityManager;

    @Test
    void anAttemptThatOutlivesItsTransactionIsRetriedPastTheParkingLimitNotParked() {
        EndEntity grace = TestPki.shared().issue("grace-" + UUID.randomUUID().toString().substring(0, 8)
                + "@example.com");
        String id = UUID.randomUUID().toString();
        int[] attempts = {0};
        boolean applied = inbox.accept(BrokerEvents.received(id, BrokerEvents.issued(grace)), event -> {
            if (++attempts[0] <= 6) {
                try {
                    Thread.sleep(1_600); // the reaper rolls the transaction back meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return; // nothing written after the timeout: the commit is what fails
            }
            store.recordIssued((CertificateIssued) event.body(), event.time());
        });
        assertTrue(applied, "applied once an attempt finished in time");
        assertEquals(7, attempts[0], "six attempts outlived their transaction, more than the parking limit of 5");
        List<?> parked = QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("select id from parked_event where ce_id = ?1").setParameter(1, id)
                .getResultList());
        assertEquals(List.of(), parked, "never parked");
        assertEquals(1, DirectoryRows.processed(entityManager, id));
    }
}
