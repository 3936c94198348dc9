package dev.smimepki.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.LongPredicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.runtime.upkeep.TableUpkeep;
import dev.smimepki.runtime.upkeep.TableUpkeep.Action;

/**
 * pki-runtime's table upkeep, on the real PostgreSQL: a table autovacuum leaves alone is analysed once enough of it
 * changed and vacuumed once enough of it is dead, and then left alone; a table autovacuum looks after is never
 * touched.
 */
@QuarkusTest
class TableUpkeepTest {
    private static final Duration STATISTICS_LAG = Duration.ofSeconds(30);

    @Inject
    TableUpkeep upkeep;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aTableAutovacuumLeavesAloneIsAnalysedWhenChangedAndVacuumedWhenDead() throws Exception {
        String table = "upkeep_probe_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("create table " + table + " (id bigint primary key, note text)"
                    + " with (autovacuum_enabled = false)");
            try {
                sql.execute("insert into " + table + " select g, 'row ' || g from generate_series(1, 1000) g");
                awaitStatistic(sql, table, "n_mod_since_analyze", n -> n >= 1000);

                List<Action> first = upkeep.upkeep();
                assertTrue(first.contains(new Action(table, "analyze")), first.toString());
                assertEquals(1, statistic(sql, table, "analyze_count"));
                assertEquals(1000, reltuples(sql, table), "ANALYZE counted the rows");

                sql.execute("delete from " + table + " where id <= 600");
                awaitStatistic(sql, table, "n_dead_tup", n -> n >= 600);
                List<Action> second = upkeep.upkeep();
                assertTrue(second.contains(new Action(table, "vacuum")), second.toString());
                assertEquals(1, statistic(sql, table, "vacuum_count"));
                awaitStatistic(sql, table, "n_dead_tup", n -> n == 0);

                List<Action> third = upkeep.upkeep();
                assertFalse(third.stream().anyMatch(action -> action.table().equals(table)),
                        "nothing is due once done: " + third);
            } finally {
                sql.execute("drop table " + table);
            }
        }
    }

    @Test
    void aTableAutovacuumLooksAfterIsLeftToIt() throws Exception {
        String table = "upkeep_probe_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("create table " + table + " (id bigint primary key)");
            try {
                sql.execute("insert into " + table + " select g from generate_series(1, 1000) g");
                awaitStatistic(sql, table, "n_mod_since_analyze", n -> n >= 1000 || analysed(sql, table));
                boolean serverAutovacuum = setting(sql, "autovacuum");
                List<Action> actions = upkeep.upkeep();
                boolean touched = actions.stream().anyMatch(action -> action.table().equals(table));
                // the machine's PostgreSQL may run without autovacuum: then every table is the service's to keep
                assertEquals(!serverAutovacuum, touched, "autovacuum " + serverAutovacuum + ", actions " + actions);
            } finally {
                sql.execute("drop table " + table);
            }
        }
    }

    private static void awaitStatistic(Statement sql, String table, String column, LongPredicate reached)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + STATISTICS_LAG.toNanos();
        long value = statistic(sql, table, column);
        // a backend reports its counts to the statistics system at most once a second, when idle
        while (!reached.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(column + " of " + table + " stayed at " + value);
            }
            Thread.sleep(200);
            value = statistic(sql, table, column);
        }
    }

    private static long statistic(Statement sql, String table, String column) throws SQLException {
        sql.execute("select pg_stat_clear_snapshot()");
        try (ResultSet rs = sql.executeQuery("select " + column + " from pg_stat_user_tables where relname = '"
                + table + "'")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private static boolean analysed(Statement sql, String table) {
        try {
            return statistic(sql, table, "autoanalyze_count") > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long reltuples(Statement sql, String table) throws SQLException {
        try (ResultSet rs = sql.executeQuery("select reltuples from pg_class where relname = '" + table + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean setting(Statement sql, String name) throws SQLException {
        try (ResultSet rs = sql.executeQuery("select current_setting('" + name + "') = 'on'")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
