package dev.smimepki.bench.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.infra.LocalPostgres;

/**
 * The bulk load writes what directory-service would have written for each certificate, into tables made by
 * directory-service's own migrations on a real PostgreSQL, in several chunks, the same certificates into the LDIF,
 * and deletes its own certificates, and only those, when closed; a load left by a killed run goes at the next load,
 * another recent one stays.
 */
class DirectoryLoadTest {
    private static final Path MIGRATIONS = Path.of("../directory-service/src/main/resources/db/migration");
    private static LocalPostgres postgres;
    private static String database;

    @BeforeAll
    static void directorySchema() throws Exception {
        postgres = LocalPostgres.startOrConnect(Path.of("target", "directory-load-postgres"));
        database = "bench_load_" + Integer.toUnsignedString(ThreadLocalRandom.current().nextInt(), 36);
        postgres.createDatabaseIfMissing(database);
        List<Path> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            files.filter(f -> f.getFileName().toString().endsWith(".sql")).forEach(scripts::add);
        }
        scripts.sort((a, b) -> Integer.compare(version(a), version(b)));
        try (Connection connection = postgres.open(database); Statement statement = connection.createStatement()) {
            for (Path script : scripts) {
                statement.execute(Files.readString(script));
            }
        }
    }

    @AfterAll
    static void drop() {
        if (postgres != null) {
            postgres.dropDatabase(database);
            postgres.close();
        }
    }

    @Test
    void loadsWhatTheDirectoryWouldStoreAndDeletesOnlyItsOwn(@TempDir Path dir) throws Exception {
        int count = 7_003; // more than one chunk, the last one short
        String url = postgres.jdbcUrl(database);
        Path ldif = dir.resolve("a.ldif");
        DirectoryLoad killed = DirectoryLoad.load(url, postgres.username(), postgres.password(), 300, "killed",
                dir.resolve("killed.ldif"), line -> {
                });
        execute("update directory_certificate set first_seen = now() - interval '13 hours' where fingerprint_sha256"
                + " in (select fingerprint_sha256 from directory_mailbox where address like '%-killed@%')");
        List<String> said = new ArrayList<>();
        DirectoryLoad kept = DirectoryLoad.load(url, postgres.username(), postgres.password(), 1_200, "kept",
                dir.resolve("kept.ldif"), said::add);
        assertTrue(said.get(0).contains("deleted 300 certificates"), "a killed run's load goes: " + said);
        assertEquals(1_200, count("select count(*) from directory_certificate"));
        try (DirectoryLoad load = DirectoryLoad.load(url, postgres.username(), postgres.password(), count, "t1",
                ldif, line -> {
                })) {
            assertEquals(count + 1_200, count("select count(*) from directory_certificate"));
            assertEquals(count + 1_200, count("select count(*) from directory_mailbox"));
            for (int i : new int[]{0, 4_999, 5_000, count - 1}) {
                checkRow(load.email(i));
            }
            String text = Files.readString(ldif);
            assertEquals(count, text.split("\ndn: uid=", -1).length - 1, "one LDIF entry per certificate");
            assertTrue(text.contains("\nmail: " + load.email(count - 1) + "\n"));

            List<String> waiting = new ArrayList<>();
            assertTrue(load.awaitLookupFacts(Duration.ofMillis(1), waiting::add).isEmpty(),
                    "no directory derives the facts here");
            assertTrue(waiting.get(0).contains(String.format("%,d certificates still without look-up facts", count)),
                    waiting.toString());
            execute("update directory_certificate set facts_version = 1 where fingerprint_sha256 in (select"
                    + " fingerprint_sha256 from directory_mailbox where address like '%-t1@%')");
            assertTrue(load.awaitLookupFacts(Duration.ofSeconds(5), waiting::add).isPresent(),
                    "derived (as the directory's backfill would): done; the other load's rows do not count");
        }
        assertEquals(1_200, count("select count(*) from directory_certificate"), "the other load's certificates stay");
        assertEquals(1_200, count("select count(*) from directory_mailbox"));
        checkRow(kept.email(1_199));
        kept.close();
        assertEquals(0, count("select count(*) from directory_certificate"));
        assertEquals(0, count("select count(*) from directory_mailbox"));
        killed.close(); // nothing left of it: a no-op
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = postgres.open(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The row of the mailbox's certificate is what directory-service's consumer stores for an issued one. */
    private static void checkRow(String email) throws SQLException {
        try (Connection connection = postgres.open(database);
                PreparedStatement query = connection.prepareStatement("select c.* from directory_certificate c"
                        + " join directory_mailbox m using (fingerprint_sha256) where m.address = ?")) {
            query.setString(1, email);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), email + " is in the directory");
                Certificate certificate = Certificate.of(row.getBytes("der"));
                assertEquals(certificate.fingerprintSha256(), row.getString("fingerprint_sha256"));
                assertEquals(certificate.serialHex(), row.getString("serial"));
                assertEquals(certificate.issuer(), row.getString("issuer"));
                assertEquals(certificate.subject(), row.getString("subject"));
                assertEquals(certificate.notAfter(), row.getTimestamp("not_after").toInstant());
                assertEquals(List.of(email), certificate.emails());
                assertTrue(certificate.hasEmailProtectionEku());
                assertEquals("issued", row.getString("source"));
                assertEquals("trusted", row.getString("trust"));
                assertEquals(certificate.issuer(), Certificate.fromPem(row.getString("chain_pem")).subject(),
                        "the chain is the issuing CA");
                assertTrue(!row.next(), "one certificate for " + email);
            }
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = postgres.open(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static int version(Path script) {
        String name = script.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }
}
