package dev.smimepki.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @TempDir
    Path dir;

    @Test
    void usesTheMachineServerWhenItAnswersAndCreatesDatabasesIdempotently() {
        Optional<LocalPostgres> machine = LocalPostgres.machineServer();
        assumeTrue(machine.isPresent(), "no PostgreSQL on 127.0.0.1:5432 letting user postgres in");
        assumeTrue(System.getenv(LocalPostgres.URL_ENV) == null && System.getenv(LocalPostgres.EMBEDDED_ENV) == null);

        try (LocalPostgres postgres = LocalPostgres.startOrConnect(dir.resolve("unused"))) {
            assertFalse(postgres.isEmbedded());
            assertEquals("jdbc:postgresql://127.0.0.1:5432/some_db", postgres.jdbcUrl("some_db"));
            assertCreatesAndDropsIdempotently(postgres, "pki_infra_test_" + ProcessHandle.current().pid());
        }
        assertFalse(Files.exists(dir.resolve("unused")), "no embedded server was started");
    }

    @Test
    void embeddedServerKeepsItsDataAcrossRestarts() throws Exception {
        Path data = dir.resolve("pg");
        long postmaster;
        try (LocalPostgres postgres = LocalPostgres.startEmbedded(data, 0)) {
            assertTrue(postgres.isEmbedded());
            assertEquals(1, queryInt(postgres, "postgres", "SELECT 1"));
            assertTrue(postgres.createDatabaseIfMissing("registry"));
            execute(postgres, "registry", "CREATE TABLE issued (serial TEXT PRIMARY KEY)");
            execute(postgres, "registry", "INSERT INTO issued VALUES ('01ab')");
            postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        }
        assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "postmaster stopped");

        int port = Ports.freePort();
        try (LocalPostgres postgres = LocalPostgres.startEmbedded(data, port)) {
            assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/registry", postgres.jdbcUrl("registry"));
            assertFalse(postgres.createDatabaseIfMissing("registry"));
            assertEquals(1, queryInt(postgres, "registry", "SELECT count(*) FROM issued WHERE serial = '01ab'"));

            // the same server through a configured URL, as PKI_DB_URL would give it
            LocalPostgres configured = LocalPostgres.connect(
                    "jdbc:postgresql://127.0.0.1:" + port + "/postgres?ApplicationName=pki", "postgres", "");
            assertFalse(configured.isEmbedded());
            assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/registry?ApplicationName=pki",
                    configured.jdbcUrl("registry"));
            assertCreatesAndDropsIdempotently(configured, "pki_infra_configured");
            configured.close(); // leaves the server running
            assertEquals(1, queryInt(postgres, "postgres", "SELECT 1"));

            IllegalStateException second = assertThrows(IllegalStateException.class,
                    () -> LocalPostgres.startEmbedded(data, 0));
            assertTrue(second.getMessage().contains("already runs in"), second.getMessage());
            assertEquals(1, queryInt(postgres, "postgres", "SELECT 1"), "the running server is left alone");

            for (String bad : new String[]{"Upper", "a-b", "x; DROP DATABASE postgres", "", "a".repeat(64)}) {
                assertThrows(IllegalArgumentException.class, () -> postgres.createDatabaseIfMissing(bad), bad);
            }
        }
    }

    private static void assertCreatesAndDropsIdempotently(LocalPostgres postgres, String name) {
        postgres.dropDatabase(name);
        assertFalse(postgres.databaseExists(name));
        assertTrue(postgres.createDatabaseIfMissing(name));
        assertFalse(postgres.createDatabaseIfMissing(name));
        assertTrue(postgres.databaseExists(name));
        postgres.dropDatabase(name);
        postgres.dropDatabase(name);
        assertFalse(postgres.databaseExists(name));
    }

    private static int queryInt(LocalPostgres postgres, String database, String sql) throws SQLException {
        try (Connection connection = postgres.open(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next());
            return result.getInt(1);
        }
    }

    private static void execute(LocalPostgres postgres, String database, String sql) throws SQLException {
        try (Connection connection = postgres.open(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
