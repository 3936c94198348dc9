package dev.smimepki.runtime.upkeep;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Does autovacuum's work on this service's tables where PostgreSQL's autovacuum does not: on a server that runs with
 * {@code autovacuum = off} (this project's CI machine does), or for a table with {@code autovacuum_enabled = false}.
 * Without it nothing ever analyses or vacuums them: the planner has no statistics, and the space of deleted and
 * updated rows is never reused, so the outbox (every row updated once, deleted after its retention) and the
 * directory grow on disk without bound (a day of benchmarks here left 37 000 dead outbox rows and 300 000 dead
 * directory rows). Thresholds are autovacuum's defaults: ANALYZE once 50 rows plus a tenth of the table changed since
 * the last one, VACUUM once 50 rows plus a fifth of it are dead. A table autovacuum looks after is left to it; one
 * replica at a time does a round (advisory lock), so the next finds the work done. The first round that finds the
 * server's autovacuum off says so in the log.
 */
@ApplicationScoped
public class TableUpkeep {
    private static final Logger LOG = Logger.getLogger(TableUpkeep.class);
    /** Arbitrary constant naming the upkeep's PostgreSQL advisory lock. */
    private static final long UPKEEP_LOCK = 0x706b692d766163L;
    private static final long THRESHOLD_ROWS = 50;
    private static final double ANALYZE_SHARE = 0.1;
    private static final double VACUUM_SHARE = 0.2;

    private final AgroalDataSource dataSource;
    private final MeterRegistry registry;
    private final String service;
    private volatile boolean warned;

    TableUpkeep(AgroalDataSource dataSource, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.service = service;
    }

    /** What one round did to a table. */
    public record Action(String table, String command) {
    }

    @Scheduled(every = "${pki.table-upkeep.every}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            upkeep();
        } catch (SQLException e) {
            LOG.warnf("table upkeep skipped this round: %s", e.getMessage());
        }
    }

    /**
     * One round: ANALYZE and VACUUM where due on the tables autovacuum leaves alone.
     *
     * @return what it ran, in order (empty when nothing was due); waits while another replica does its round
     */
    public List<Action> upkeep() throws SQLException {
        List<Action> done = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true); // VACUUM cannot run inside a transaction
            lock(connection, "pg_advisory_lock");
            try {
                for (Due due : due(connection)) {
                    if (due.vacuum) {
                        run(connection, "vacuum (analyze) " + due.qualifiedName, due.table, done);
                    } else {
                        run(connection, "analyze " + due.qualifiedName, due.table, done);
                    }
                }
            } finally {
                lock(connection, "pg_advisory_unlock");
            }
        }
        return done;
    }

    private record Due(String table, String qualifiedName, boolean vacuum) {
    }

    private List<Due> due(Connection connection) throws SQLException {
        List<Due> due = new ArrayList<>();
        boolean serverOff = false;
        try (PreparedStatement select = connection.prepareStatement("""
                select s.relname, quote_ident(s.schemaname) || '.' || quote_ident(s.relname),
                       s.n_mod_since_analyze, s.n_dead_tup, greatest(c.reltuples, 0),
                       current_setting('autovacuum') <> 'on',
                       exists (select 1 from unnest(c.reloptions) o
                               where lower(o) in ('autovacuum_enabled=false', 'autovacuum_enabled=off',
                                                  'autovacuum_enabled=no', 'autovacuum_enabled=0'))
                from pg_stat_user_tables s join pg_class c on c.oid = s.relid
                where s.schemaname = current_schema()
                order by s.relname""");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                serverOff = rows.getBoolean(6);
                if (!serverOff && !rows.getBoolean(7)) {
                    continue; // autovacuum looks after this one
                }
                double size = rows.getDouble(5);
                boolean vacuum = rows.getLong(4) > THRESHOLD_ROWS + VACUUM_SHARE * size;
                boolean analyze = rows.getLong(3) > THRESHOLD_ROWS + ANALYZE_SHARE * size;
                if (vacuum || analyze) {
                    due.add(new Due(rows.getString(1), rows.getString(2), vacuum));
                }
            }
        }
        if (serverOff && !warned) {
            warned = true;
            LOG.warnf("autovacuum is off on this PostgreSQL server: %s analyses and vacuums its own tables as "
                    + "autovacuum would; turn autovacuum on (postgresql.conf) to leave this to the server", service);
        }
        return due;
    }

    private void run(Connection connection, String command, String table, List<Action> done) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(command);
        }
        String verb = command.substring(0, command.indexOf(' '));
        registry.counter("pki.db.upkeep", "command", verb).increment();
        done.add(new Action(table, verb));
        LOG.debugf("table upkeep: %s", command);
    }

    private static void lock(Connection connection, String function) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select " + function + "(?)")) {
            lock.setLong(1, UPKEEP_LOCK);
            lock.executeQuery().close();
        }
    }
}
