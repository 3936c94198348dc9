package dev.smimepki.runtime.tx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

import jakarta.persistence.PersistenceException;

import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** What the platform calls "the database is away" (503 to a request, retried for ever by a consumer), and not. */
class DatabaseFailuresTest {

    @Test
    void aDatabaseThatIsAwayOrOutOfResourcesIsUnavailable() {
        assertTrue(DatabaseFailures.unavailable(wrapped(new SQLException("connection refused", "08001"))));
        assertTrue(DatabaseFailures.unavailable(wrapped(new SQLException("An I/O error occurred", "08006"))));
        assertTrue(DatabaseFailures.unavailable(wrapped(new SQLException("too many connections", "53300"))));
        assertTrue(DatabaseFailures.unavailable(wrapped(new SQLException("disk full", "53100"))));
        assertTrue(DatabaseFailures.unavailable(
                wrapped(new SQLException("terminating connection due to administrator command", "57P01"))),
                "an administrator's shutdown");
        assertTrue(DatabaseFailures.unavailable(wrapped(new SQLException("the database system is starting up",
                "57P03"))));
        assertTrue(DatabaseFailures.unavailable(
                wrapped(new SQLException("canceling statement due to statement timeout", "57014"))));
        assertTrue(DatabaseFailures.unavailable(wrapped(new SQLException("could not open file", "58P01"))));
        assertTrue(DatabaseFailures.unavailable(wrapped(new SQLException("Sorry, acquisition timeout!"))),
                "a pool's timeout, without a state");
        assertTrue(DatabaseFailures.unavailable(new SQLTransientConnectionException("gone")));
        assertTrue(DatabaseFailures.unavailable(new SQLTimeoutException("query timed out", "S1T00")));
        assertTrue(DatabaseFailures.unavailable(
                new JDBCConnectionException("unable to obtain connection", new SQLException("x", "99999"))));
    }

    @Test
    void aDatabaseThatAnsweredAndRefusedOrABugIsNot() {
        assertFalse(DatabaseFailures.unavailable(wrapped(new SQLException("duplicate key value", "23505"))));
        assertFalse(DatabaseFailures.unavailable(wrapped(new SQLException("value too long", "22001"))));
        assertFalse(DatabaseFailures.unavailable(wrapped(new SQLException("column does not exist", "42703"))));
        assertFalse(DatabaseFailures.unavailable(wrapped(new SQLException("could not serialize access", "40001"))),
                "a conflict: the database is there");
        assertFalse(DatabaseFailures.unavailable(wrapped(new SQLException("internal error", "XX000"))));
        assertFalse(DatabaseFailures.unavailable(new IllegalStateException("a bug")));
        assertFalse(DatabaseFailures.unavailable(null));
    }

    /** As Hibernate and the transaction manager hand a driver's exception up. */
    private static RuntimeException wrapped(SQLException e) {
        return new IllegalStateException("commit failed", new PersistenceException("flush failed", e));
    }
}
