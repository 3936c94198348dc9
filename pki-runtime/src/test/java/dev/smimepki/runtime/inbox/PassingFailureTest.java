package dev.smimepki.runtime.inbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;

import org.junit.jupiter.api.Test;

/**
 * Which failures keep a record retrying for as long as they last (the database is away, busy, or in a conflict
 * that passes) and which let it be parked after its attempts (the database answered and refused it), and how a
 * parked record's reason reads.
 */
class PassingFailureTest {

    @Test
    void theDatabaseAwayBusyOrInAPassingConflictIsRetriedForever() {
        assertTrue(Inbox.passing(wrapped(new SQLException("connection refused", "08001"))));
        assertTrue(Inbox.passing(wrapped(new SQLException("could not serialize access", "40001"))));
        assertTrue(Inbox.passing(wrapped(new SQLException("deadlock detected", "40P01"))));
        assertTrue(Inbox.passing(wrapped(new SQLException("too many connections", "53300"))));
        assertTrue(Inbox.passing(wrapped(new SQLException("terminating connection", "57P01"))));
        assertTrue(Inbox.passing(wrapped(new SQLException("lock not available", "55P03"))));
        assertTrue(Inbox.passing(wrapped(new SQLException("internal error", "XX000"))));
        assertTrue(Inbox.passing(wrapped(new SQLException("Sorry, acquisition timeout!"))), "a pool's timeout");
        assertTrue(Inbox.passing(wrapped(new SQLTransientConnectionException("gone"))));
        assertTrue(Inbox.passing(new OptimisticLockException("row changed by another transaction")));
    }

    @Test
    void aRefusalByAnAnsweringDatabaseOrABugIsParkedAfterItsAttempts() {
        assertFalse(Inbox.passing(wrapped(new SQLException("violates check constraint", "23514"))));
        assertFalse(Inbox.passing(wrapped(new SQLException("value too long", "22001"))));
        assertFalse(Inbox.passing(wrapped(new SQLException("column does not exist", "42703"))));
        assertFalse(Inbox.passing(new IllegalStateException("a bug in the handler")));
        assertFalse(Inbox.passing(new NullPointerException()));
    }

    @Test
    void aParkedRecordsReasonStartsWithWhatRefusedIt() {
        String reason = Inbox.rootFirst(wrapped(new SQLException("ERROR: value refused", "23514")));
        assertTrue(reason.startsWith("ERROR: value refused [SQLState 23514]; through"
                + " java.lang.IllegalStateException: commit failed <- "), reason);
        assertTrue(Inbox.rootFirst(new NullPointerException()).startsWith("java.lang.NullPointerException; through"),
                "a cause without a message is named by its class");
    }

    /** As Hibernate and the transaction manager hand a driver's exception up. */
    private static RuntimeException wrapped(SQLException e) {
        return new IllegalStateException("commit failed", new PersistenceException("flush failed", e));
    }
}
