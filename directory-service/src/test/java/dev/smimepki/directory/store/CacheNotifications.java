package dev.smimepki.directory.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

/** Waiting for the look-up cache's listener, for tests of what it hears. */
final class CacheNotifications {
    private static final Duration HEARD_WITHIN = Duration.ofSeconds(10);

    private CacheNotifications() {
    }

    /**
     * Sends a marker notification and waits until the cache heard it: notifications arrive in commit order, so every
     * one committed before was heard too.
     */
    static void awaitHeard(DataSource dataSource, MailboxCache cache) throws SQLException, InterruptedException {
        String marker = "heard-" + UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
            notify.setString(1, MailboxCache.CHANNEL);
            notify.setString(2, marker);
            notify.execute();
        }
        await(() -> marker.equals(cache.lastHeard()), "the listener heard the marker");
    }

    /** Waits until the condition holds, at most {@link #HEARD_WITHIN}. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + HEARD_WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + HEARD_WITHIN + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
