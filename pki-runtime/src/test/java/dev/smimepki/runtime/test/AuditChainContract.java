package dev.smimepki.runtime.test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;

import dev.smimepki.runtime.audit.AuditAction;
import dev.smimepki.runtime.audit.AuditLog;

/**
 * What every service's audit log promises (issue 8 item 5): the service's audited changes form a valid chain, and an
 * entry edited, deleted or swapped behind the service's back through JDBC is named by {@code GET
 * /api/v1/audit/verify}; appends from many transactions at once stay one linear chain. Each tampering is undone
 * afterwards, and the chain verifies again, so the tests do not depend on each other's order.
 */
public abstract class AuditChainContract {
    private static final String COLUMNS = "occurred_at, actor, action, target, detail, previous_hash, hash";
    private static final int THREADS = 8;
    private static final int APPENDS_PER_THREAD = 25;

    /** Performs at least three audited changes through the service's API. */
    protected abstract void makeAuditedChanges();

    /** What {@link #makeAuditedChanges} writes, each as "ACTION by actor", e.g. "KEY_DELETED by admin@example.org". */
    protected abstract Set<String> expectedEntries();

    protected abstract DataSource dataSource();

    protected abstract AuditLog auditLog();

    /** A probe action for appends that change nothing else. */
    enum Probe implements AuditAction {
        CONCURRENCY_PROBE
    }

    @Test
    void auditedChangesFormAValidChainListedNewestFirst() throws SQLException {
        long before = rows();
        makeAuditedChanges();
        long after = rows();
        assertTrue(after - before >= 3, "at least three entries written, got " + (after - before));

        verify().body("valid", equalTo(true)).body("entries", equalTo((int) after));
        JsonPath page = admin().get("/api/v1/audit?page=0&size=" + (after - before)).then().statusCode(200)
                .body("total", equalTo((int) after)).extract().jsonPath();
        List<Long> sequences = page.getList("items.sequence", Long.class);
        for (int i = 0; i < sequences.size(); i++) {
            assertEquals(after - i, sequences.get(i), "newest first: " + sequences);
        }
        List<String> actions = page.getList("items.action", String.class);
        List<String> actors = page.getList("items.actor", String.class);
        Set<String> entries = new HashSet<>();
        for (int i = 0; i < actions.size(); i++) {
            entries.add(actions.get(i) + " by " + actors.get(i));
        }
        assertEquals(expectedEntries(), entries, "each change audited with the caller its token names");
        List<String> hashes = page.getList("items.hash", String.class);
        List<String> previous = page.getList("items.previousHash", String.class);
        for (int i = 0; i + 1 < hashes.size(); i++) {
            assertEquals(hashes.get(i + 1), previous.get(i), "each entry links to the one before it");
        }
    }

    @Test
    void anEditedDetailIsNamed() throws SQLException {
        long target = middleOfFreshEntries();
        String original = text("select detail from audit_chain where sequence = ?", target);
        update("update audit_chain set detail = ? where sequence = ?", original + " (edited)", target);
        try {
            broken(target, "edited");
        } finally {
            update("update audit_chain set detail = ? where sequence = ?", original, target);
        }
        verify().body("valid", equalTo(true));
    }

    @Test
    void aDeletedMiddleEntryIsNamed() throws SQLException {
        long target = middleOfFreshEntries();
        try (Connection connection = dataSource().getConnection()) {
            List<Object> row = row(connection, target);
            update("delete from audit_chain where sequence = ?", target);
            try {
                broken(target, "missing");
            } finally {
                restore(connection, target, row);
            }
        }
        verify().body("valid", equalTo(true));
    }

    @Test
    void aDeletedLastEntryIsNamed() throws SQLException {
        middleOfFreshEntries();
        long last = rows();
        try (Connection connection = dataSource().getConnection()) {
            List<Object> row = row(connection, last);
            update("delete from audit_chain where sequence = ?", last);
            try {
                broken(last, "missing");
            } finally {
                restore(connection, last, row);
            }
        }
        verify().body("valid", equalTo(true));
    }

    @Test
    void aWitnessedHeadCatchesAChainCutBackWithItsHeadRewritten() throws SQLException {
        makeAuditedChanges();
        JsonPath intact = verify().body("valid", equalTo(true)).extract().jsonPath();
        long last = intact.getLong("lastSequence");
        String lastHash = intact.getString("lastHash");
        assertEquals(rows(), last);
        assertEquals(text("select hash from audit_chain where sequence = ?", last), lastHash);
        witnessed(last, lastHash).body("valid", equalTo(true)).body("lastSequence", equalTo((int) last));

        // Someone who can write the whole database removes the last entry and moves the head back to match.
        String previousHash = text("select hash from audit_chain where sequence = ?", last - 1);
        try (Connection connection = dataSource().getConnection()) {
            List<Object> row = row(connection, last);
            update("delete from audit_chain where sequence = ?", last);
            update("update audit_chain_head set last_sequence = ?, last_hash = ? where id = 1", last - 1,
                    previousHash);
            try {
                // On its own the chain looks whole: that is what the witness is for.
                verify().body("valid", equalTo(true));
                JsonPath answer = witnessed(last, lastHash).body("valid", equalTo(false)).extract().jsonPath();
                assertEquals(last, answer.getLong("firstBrokenSequence"), answer::prettify);
                assertTrue(answer.getString("problem").contains("witnessed"), answer::prettify);
            } finally {
                restore(connection, last, row);
                update("update audit_chain_head set last_sequence = ?, last_hash = ? where id = 1", last, lastHash);
            }
        }
        witnessed(last, lastHash).body("valid", equalTo(true));
    }

    @Test
    void aWitnessTheChainDoesNotHoldIsNamed() throws SQLException {
        long middle = middleOfFreshEntries();
        String other = text("select hash from audit_chain where sequence = ?", middle + 1);
        JsonPath answer = witnessed(middle, other).body("valid", equalTo(false)).extract().jsonPath();
        assertEquals(middle, answer.getLong("firstBrokenSequence"), answer::prettify);
        assertTrue(answer.getString("problem").contains("witnessed earlier"), answer::prettify);
    }

    @Test
    void aHalfWitnessIsAProblem() {
        admin().get("/api/v1/audit/verify?witnessSequence=3").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("incomplete-witness"));
        admin().get("/api/v1/audit/verify?witnessSequence=3&witnessHash=xyz").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void swappedEntriesAreNamed() throws SQLException {
        long first = middleOfFreshEntries();
        long second = first + 1;
        swap(first, second);
        try {
            broken(first, "does not follow");
        } finally {
            swap(first, second);
        }
        verify().body("valid", equalTo(true));
    }

    @Test
    void concurrentAppendsStayOneLinearChain() throws Exception {
        long before = rows();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> appenders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String actor = "appender-" + t;
                appenders.add(pool.submit(() -> {
                    for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                        String detail = "append " + i;
                        QuarkusTransaction.requiringNew()
                                .run(() -> auditLog().append(actor, Probe.CONCURRENCY_PROBE, null, detail));
                    }
                }));
            }
            // and the service's own audited changes at the same time
            appenders.add(pool.submit(this::makeAuditedChanges));
            for (Future<?> appender : appenders) {
                appender.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long after = rows();
        assertTrue(after - before >= THREADS * APPENDS_PER_THREAD + 3L, "every append made an entry");
        verify().body("valid", equalTo(true)).body("entries", equalTo((int) after));
        assertEquals(after, number("select max(sequence) from audit_chain"), "no gap: 1 to " + after);
        assertEquals(0, number("select count(*) from (select previous_hash from audit_chain"
                + " where previous_hash is not null group by previous_hash having count(*) > 1) forks"),
                "no two entries follow the same one");
    }

    /**
     * An entry is written with the audited change and linked into the chain right after it commits, by the service
     * on its own: nobody has to read the log for that.
     */
    @Test
    void entriesAreLinkedAfterTheirCommitWithoutAReader() throws Exception {
        String actor = "linker-probe-" + System.nanoTime();
        String mine = "select count(*) from audit_chain where actor = '" + actor + "'";
        QuarkusTransaction.requiringNew()
                .run(() -> auditLog().append(actor, Probe.CONCURRENCY_PROBE, null, "linked unread"));
        assertEquals(1, number(mine), "the entry is there once its transaction committed");
        String linked = mine + " and sequence is not null";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (number(linked) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, number(linked), "linked without anyone reading the log");
        // a rolled-back transaction leaves no entry
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            auditLog().append(actor, Probe.CONCURRENCY_PROBE, null, "rolled back");
            throw new IllegalStateException("roll back");
        }));
        assertEquals(1, number(mine));
        verify().body("valid", equalTo(true));
    }

    @Test
    void onlyAdministratorsReadTheLog() {
        given().auth().oauth2(TestTokens.user("someone@example.org")).get("/api/v1/audit/verify").then()
                .statusCode(403);
        given().get("/api/v1/audit").then().statusCode(401);
        admin().get("/api/v1/audit?size=0").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid-page"));
        admin().get("/api/v1/audit?size=101").then().statusCode(400);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(TestTokens.admin());
    }

    private static io.restassured.response.ValidatableResponse verify() {
        return admin().get("/api/v1/audit/verify").then().statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse witnessed(long sequence, String hash) {
        return admin().queryParam("witnessSequence", sequence).queryParam("witnessHash", hash)
                .get("/api/v1/audit/verify").then().statusCode(200);
    }

    private void broken(long sequence, String problem) {
        JsonPath answer = verify().body("valid", equalTo(false)).extract().jsonPath();
        assertEquals(sequence, answer.getLong("firstBrokenSequence"), answer::prettify);
        assertTrue(answer.getString("problem").contains(problem), answer::prettify);
        assertFalse(answer.getString("problem").isBlank());
    }

    /** Makes fresh entries and returns one with entries before and after it. */
    private long middleOfFreshEntries() throws SQLException {
        long before = rows();
        makeAuditedChanges();
        long after = rows();
        assertTrue(after - before >= 3);
        verify().body("valid", equalTo(true));
        return before + 2;
    }

    private long rows() throws SQLException {
        return number("select count(*) from audit_chain");
    }

    private long number(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private String text(String sql, long sequence) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, sequence);
            try (ResultSet result = statement.executeQuery()) {
                assertTrue(result.next(), "entry " + sequence);
                return result.getString(1);
            }
        }
    }

    private void update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            assertEquals(1, statement.executeUpdate(), sql);
        }
    }

    private static List<Object> row(Connection connection, long sequence) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select " + COLUMNS
                + " from audit_chain where sequence = ?")) {
            statement.setLong(1, sequence);
            try (ResultSet result = statement.executeQuery()) {
                assertTrue(result.next(), "entry " + sequence);
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= 7; i++) {
                    row.add(result.getObject(i));
                }
                return row;
            }
        }
    }

    private static void write(Connection connection, String sql, long sequence, List<Object> row)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < row.size(); i++) {
                statement.setObject(i + 1, row.get(i));
            }
            statement.setLong(row.size() + 1, sequence);
            assertEquals(1, statement.executeUpdate());
        }
    }

    private static void restore(Connection connection, long sequence, List<Object> row) throws SQLException {
        write(connection, "insert into audit_chain (" + COLUMNS + ", sequence) values (?, ?, ?, ?, ?, ?, ?, ?)",
                sequence, row);
    }

    /** Exchanges everything but the sequence numbers of two entries. */
    private void swap(long first, long second) throws SQLException {
        String set = "update audit_chain set occurred_at = ?, actor = ?, action = ?, target = ?, detail = ?,"
                + " previous_hash = ?, hash = ? where sequence = ?";
        try (Connection connection = dataSource().getConnection()) {
            List<Object> a = row(connection, first);
            List<Object> b = row(connection, second);
            write(connection, set, first, b);
            write(connection, set, second, a);
        }
    }
}
