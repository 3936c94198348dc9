package dev.smimepki.runtime.tx;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

import org.hibernate.exception.JDBCConnectionException;

/**
 * The one rule of the platform for "the database is away": what a request answers as a 503 problem
 * {@code database-unavailable} and what a consumer retries for as long as it lasts.
 */
public final class DatabaseFailures {
    /**
     * SQLState classes of a database that is away or cannot take the work now: connection exception, insufficient
     * resources, operator intervention (an administrator's shutdown, a cancelled or timed-out statement), system
     * error.
     */
    private static final List<String> UNAVAILABLE_CLASSES = List.of("08", "53", "57", "58");

    private DatabaseFailures() {
    }

    /**
     * Whether any cause of the failure says the database is away: a connection-level exception, a statement timeout,
     * a state of {@link #UNAVAILABLE_CLASSES}, or a driver or pool error without a state (the pool's acquisition
     * timeout). A database that answered and refused (a constraint, a syntax error) is not.
     */
    public static boolean unavailable(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof JDBCConnectionException || e instanceof SQLTransientConnectionException
                    || e instanceof SQLNonTransientConnectionException || e instanceof SQLRecoverableException
                    || e instanceof SQLTimeoutException) {
                return true;
            }
            if (e instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null || UNAVAILABLE_CLASSES.stream().anyMatch(state::startsWith)) {
                    return true;
                }
            }
        }
        return false;
    }
}
