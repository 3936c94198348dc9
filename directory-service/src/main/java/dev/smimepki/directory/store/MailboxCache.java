package dev.smimepki.directory.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.smimepki.directory.DirectoryConfig;

/**
 * The certificates of recently looked-up mailboxes, so that a look-up does not query PostgreSQL each time; kept
 * exact across instances. Every change to a mailbox's certificates, by any instance or anyone with SQL, makes
 * PostgreSQL send a notification at commit (migration V3); a listener on its own connection forgets the mailbox,
 * and a commit of this instance forgets it before the commit returns (so a client reads its own upload).
 * <p>
 * While the listener is not connected nothing is cached, and everything cached is forgotten when it (re)connects, so
 * no change made meanwhile is missed. A look-up that read the database while a change was being forgotten does not
 * keep what it read.
 */
@ApplicationScoped
public class MailboxCache {
    static final String CHANNEL = "pki_directory_mailbox";
    /** Payload meaning "forget every mailbox" (a truncate, or a mailbox too long for a notification). */
    static final String EVERY_MAILBOX = "*";
    /** Name of the listener's session in pg_stat_activity. */
    static final String APPLICATION_NAME = "directory-service mailbox cache";
    /** Look-ups by result: hit, miss (read from the database and kept), not-listening (read, nothing kept). */
    static final String METRIC = "pki.directory.lookup.cache";
    private static final Logger LOG = Logger.getLogger(MailboxCache.class);
    /** A silent connection is checked this often: a dead peer is noticed by a query, not by waiting. */
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MAX_PAUSE_MILLIS = 5_000;
    /** A power of two. */
    private static final int FORGETTING_STRIPES = 4096;

    private final ConcurrentHashMap<String, List<DirectoryCertificate>> cached = new ConcurrentHashMap<>();
    /**
     * Forgettings, counted per stripe of mailboxes (by the address's hash) and for every mailbox at once: a look-up
     * keeps what it read only if neither its mailbox's stripe nor the whole cache was forgotten meanwhile. One count for
     * all mailboxes kept almost nothing under steady issuance, when some mailbox is forgotten every few milliseconds.
     */
    private final AtomicLongArray stripeForgettings = new AtomicLongArray(FORGETTING_STRIPES);
    private final AtomicLong allForgettings = new AtomicLong();
    private final int capacity;
    private final String jdbcUrl;
    private final String username;
    private final Optional<String> password;
    private volatile boolean listening;
    private volatile boolean stopping;
    private volatile Connection connection;
    private volatile String lastHeard;
    private final Counter hits;
    private final Counter misses;
    private final Counter uncached;
    private Thread listener;

    MailboxCache(DirectoryConfig config, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password, MeterRegistry registry) {
        this.hits = registry.counter(METRIC, "result", "hit");
        this.misses = registry.counter(METRIC, "result", "miss");
        this.uncached = registry.counter(METRIC, "result", "not-listening");
        this.capacity = config.lookupCacheMailboxes();
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        if (capacity <= 0) {
            LOG.info("look-up cache off: every look-up reads the database");
            return;
        }
        listener = new Thread(this::listen, "mailbox-cache-listener");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        listening = false;
        Thread running = listener;
        if (running != null) {
            running.interrupt();
            closeQuietly(connection);
        }
    }

    /** The certificates of a mailbox (its normalised address): kept ones, or {@code load}'s, kept when still current. */
    public List<DirectoryCertificate> forMailbox(String mailbox, Supplier<List<DirectoryCertificate>> load) {
        if (!listening) {
            uncached.increment();
            return load.get();
        }
        List<DirectoryCertificate> kept = cached.get(mailbox);
        if (kept != null) {
            hits.increment();
            return kept;
        }
        misses.increment();
        int stripe = stripe(mailbox);
        long seenStripe = stripeForgettings.get(stripe);
        long seenAll = allForgettings.get();
        List<DirectoryCertificate> loaded = List.copyOf(load.get());
        cached.put(mailbox, loaded);
        // forgetting advances a count before it removes: either it removes this entry or this sees the count moved
        if (stripeForgettings.get(stripe) != seenStripe || allForgettings.get() != seenAll || !listening) {
            cached.remove(mailbox, loaded);
        } else if (cached.size() > capacity) {
            evictSome();
        }
        return loaded;
    }

    /** Forgets mailboxes whose certificates changed. */
    public void forget(Collection<String> mailboxes) {
        for (String mailbox : mailboxes) {
            stripeForgettings.incrementAndGet(stripe(mailbox));
            cached.remove(mailbox);
        }
    }

    private static int stripe(String mailbox) {
        return mailbox.hashCode() & (FORGETTING_STRIPES - 1);
    }

    /** Whether look-ups are being kept (the listener is connected); for tests and operators. */
    public boolean listening() {
        return listening;
    }

    /** The payload of the last notification heard (tests use it to know that earlier commits were heard). */
    String lastHeard() {
        return lastHeard;
    }

    private void forgetEverything() {
        allForgettings.incrementAndGet();
        cached.clear();
    }

    /** Drops about a tenth of the entries, whichever the map yields first: cheap, and a miss only costs a query. */
    private void evictSome() {
        int drop = Math.max(1, capacity / 10);
        Iterator<String> mailboxes = cached.keySet().iterator();
        while (drop-- > 0 && mailboxes.hasNext()) {
            mailboxes.next();
            mailboxes.remove();
        }
    }

    private void listen() {
        long pauseMillis = 100;
        while (!stopping) {
            try (Connection open = connect()) {
                connection = open;
                try (Statement statement = open.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                forgetEverything(); // changes made while not listening were not heard
                this.listening = true;
                pauseMillis = 100;
                LOG.info("look-up cache on: listening for mailbox changes");
                receive(open.unwrap(PGConnection.class), open);
            } catch (SQLException e) {
                if (!stopping) {
                    LOG.warnf("look-up cache off until the database is reachable again: %s", e.getMessage());
                }
            } finally {
                this.listening = false;
                forgetEverything();
                connection = null;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                return;
            }
            pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE_MILLIS);
        }
    }

    private void receive(PGConnection notifications, Connection open) throws SQLException {
        long lastActivity = System.nanoTime();
        while (!stopping) {
            PGNotification[] received = notifications.getNotifications(1_000);
            if (received != null && received.length > 0) {
                for (PGNotification notification : received) {
                    if (EVERY_MAILBOX.equals(notification.getParameter())) {
                        forgetEverything();
                    } else {
                        forget(List.of(notification.getParameter()));
                    }
                    lastHeard = notification.getParameter();
                }
                lastActivity = System.nanoTime();
            } else if (System.nanoTime() - lastActivity > CHECK_EVERY_NANOS) {
                try (Statement statement = open.createStatement()) {
                    statement.execute("select 1");
                }
                lastActivity = System.nanoTime();
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        password.ifPresent(secret -> properties.setProperty("password", secret));
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "15");
        properties.setProperty("tcpKeepAlive", "true");
        Connection opened = new Driver().connect(jdbcUrl, properties);
        if (opened == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + jdbcUrl);
        }
        return opened;
    }

    private static void closeQuietly(Connection open) {
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                LOG.debugf("closing the listener connection: %s", e.getMessage());
            }
        }
    }
}
