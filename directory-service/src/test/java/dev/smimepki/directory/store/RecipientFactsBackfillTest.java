package dev.smimepki.directory.store;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;
import dev.smimepki.directory.profile.RecipientFacts;

/**
 * The look-up facts stored with a certificate answer a look-up as its DER would: written when it is stored, derived
 * later for rows without them (older versions, SQL loads), and the same answer either way; the backfill does not
 * disturb the look-up caches, and a stored DER that cannot be read is answered as such, once.
 */
@QuarkusTest
class RecipientFactsBackfillTest {
    private final TestPki pki = TestPki.create();

    @Inject
    CertificateStore store;

    @Inject
    MailboxCache cache;

    @Inject
    RecipientFactsBackfill backfill;

    @Inject
    DataSource dataSource;

    @Test
    void storedFactsAreThoseOfTheDerAndALookUpWithoutThemAnswersTheSame() throws Exception {
        String address = "facts-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        EndEntity dual = pki.issue(address);
        EndEntity signingOnly = pki.issue(EndEntitySpec.forEmails(address, "other-" + address)
                .commonName("Signing Only").keyUsages(KeyUsage.DIGITAL_SIGNATURE));
        for (EndEntity entity : List.of(dual, signingOnly)) {
            QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(entity), Instant.now()));
        }
        for (EndEntity entity : List.of(dual, signingOnly)) {
            RecipientFacts derived = RecipientFacts.of(entity.certificate());
            assertEquals(List.of(String.valueOf(RecipientFacts.VERSION), String.join("|", derived.keyUsage()),
                    String.join("|", derived.emails()), derived.key(), derived.commonName().orElse("-"),
                    String.join("|", derived.unusableBecause())), storedFacts(entity), "written when stored");
        }
        assertEquals(List.of("keyUsage lacks keyEncipherment: an RSA certificate for signing only"),
                RecipientFacts.of(signingOnly.certificate()).unusableBecause());
        String withFacts = answer(address);

        int changed = sql("update directory_certificate set facts_version = null, key_usage = null, emails = null,"
                + " key_description = null, common_name = null, unusable_because = null"
                + " where fingerprint_sha256 in (?, ?)", fingerprint(dual), fingerprint(signingOnly));
        assertEquals(2, changed);
        assertEquals(withFacts, answer(address), "without stored facts the look-up parses the DER: same answer");

        assertTrue(backfill.backfill() >= 2, "the rows without facts are derived");
        assertEquals(String.valueOf(RecipientFacts.VERSION), storedFacts(dual).get(0));
        assertEquals(String.valueOf(RecipientFacts.VERSION), storedFacts(signingOnly).get(0));
        assertEquals(withFacts, answer(address), "derived again: same answer");
        assertEquals(0, backfill.backfill(), "nothing left to derive");

        sql("update directory_certificate set facts_version = ? where fingerprint_sha256 = ?",
                String.valueOf(RecipientFacts.VERSION + 1), fingerprint(dual));
        assertEquals(0, backfill.backfill(), "facts of newer rules are left to the newer version");
        assertEquals(withFacts, answer(address), "and this version answers from the DER");
    }

    @Test
    void theBackfillDoesNotMakeTheCachesForgetAndAnUnreadableDerIsDerivedOnce() throws Exception {
        CacheNotifications.await(cache::listening, "the cache listens for changes");
        String address = "quiet-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        EndEntity entity = pki.issue(address);
        QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(entity), Instant.now()));
        CacheNotifications.awaitHeard(dataSource, cache);
        assertNull(store.forAddress(address).get(0).revokedAt, "cached");
        silently("update directory_certificate set revoked_at = now(), facts_version = null"
                + " where fingerprint_sha256 = '" + fingerprint(entity) + "'");

        assertTrue(backfill.backfill() >= 1);
        CacheNotifications.awaitHeard(dataSource, cache);
        assertNull(store.forAddress(address).get(0).revokedAt, "still cached: the backfill announced nothing");

        String unreadable = "unreadable-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        EndEntity broken = pki.issue(unreadable);
        QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(broken), Instant.now()));
        sql("update directory_certificate set der = '\\x3003020101'::bytea, facts_version = null"
                + " where fingerprint_sha256 = ?", fingerprint(broken));
        assertTrue(backfill.backfill() >= 1);
        assertEquals("unreadable", storedFacts(broken).get(3));
        assertTrue(storedFacts(broken).get(5).startsWith("the stored certificate cannot be read: "),
                storedFacts(broken).get(5));
        assertEquals(0, backfill.backfill(), "not tried again");
        given().get("/api/v1/directory/" + unreadable).then().statusCode(200)
                .body("preferred", org.hamcrest.Matchers.nullValue())
                .body("certificates[0].usable", org.hamcrest.Matchers.equalTo(false));
    }

    private static String answer(String address) {
        return given().get("/api/v1/directory/" + address).then().statusCode(200).extract().asString();
    }

    private static String fingerprint(EndEntity entity) {
        return entity.certificate().fingerprintSha256();
    }

    /** Version, key usage, emails, key, common name and reasons as stored, arrays joined with '|'. */
    private List<String> storedFacts(EndEntity entity) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select facts_version, key_usage, emails,"
                        + " key_description, common_name, unusable_because from directory_certificate"
                        + " where fingerprint_sha256 = ?")) {
            select.setString(1, fingerprint(entity));
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "stored");
                List<String> facts = new ArrayList<>();
                facts.add(row.getString(1));
                facts.add(joined(row.getArray(2)));
                facts.add(joined(row.getArray(3)));
                facts.add(row.getString(4));
                facts.add(row.getString(5) == null ? "-" : row.getString(5));
                facts.add(joined(row.getArray(6)));
                return facts;
            }
        }
    }

    private static String joined(Array array) throws SQLException {
        return array == null ? null : String.join("|", Arrays.asList((String[]) array.getArray()));
    }

    private int sql(String statement, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i].matches("\\d+")) {
                    prepared.setInt(i + 1, Integer.parseInt(parameters[i]));
                } else {
                    prepared.setString(i + 1, parameters[i]);
                }
            }
            return prepared.executeUpdate();
        }
    }

    /** A change no cache hears of (the triggers do not fire): shows whether a look-up came from the cache. */
    private void silently(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("set session_replication_role = replica");
            try {
                sql.execute(statement);
            } finally {
                sql.execute("set session_replication_role = origin");
            }
        }
    }

}
