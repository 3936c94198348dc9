package dev.smimepki.keystore.keys;

import static dev.smimepki.keystore.KeystoreApi.as;
import static dev.smimepki.keystore.KeystoreApi.service;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.keystore.CertificateEvents;
import dev.smimepki.keystore.KeystoreApi;
import dev.smimepki.keystore.KeystoreApi.Generated;
import dev.smimepki.runtime.test.TestTokens;

/**
 * ca-service discards a key it had generated when the certificate for it was not issued: only while no certificate
 * is bound, only with a service token, audited, and idempotent.
 */
@QuarkusTest
class PendingKeyDiscardTest {
    private static CertificateEvents events;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void connect() {
        events = new CertificateEvents();
    }

    @AfterAll
    static void disconnect() {
        events.close();
    }

    @Test
    void aPendingKeyIsDiscardedAndAudited() throws SQLException {
        String mailbox = "discarded.pending@example.org";
        Generated key = KeystoreApi.generate(KeyAlgorithm.EC_P256, mailbox);
        as(TestTokens.user(mailbox)).get("/api/v1/keys").then().statusCode(200)
                .body("keyId", equalTo(List.of(key.keyId()))).body("status", equalTo(List.of("pending")));

        service().delete("/internal/v1/keys/" + key.keyId()).then().statusCode(204);

        as(TestTokens.user(mailbox)).get("/api/v1/keys").then().statusCode(200).body("size()", equalTo(0));
        assertFalse(stored(key.keyId()), "the sealed private key is gone from the database");
        assertEquals("test-service", auditedActor(key.keyId()));
        service().delete("/internal/v1/keys/" + key.keyId()).then().statusCode(204);
        assertEquals(1, auditEntries(key.keyId()), "discarding again changes nothing and audits nothing");
    }

    @Test
    void aKeyWithACertificateIsKept() throws SQLException {
        String mailbox = "certified.key@example.org";
        EndEntity certified = KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P256, mailbox);
        String keyId = KeystoreApi.keyIdOf(certified);

        service().delete("/internal/v1/keys/" + keyId).then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("key-not-pending"));

        as(TestTokens.user(mailbox)).get("/api/v1/keys").then().statusCode(200)
                .body("keyId", equalTo(List.of(keyId))).body("[0].certificates.size()", equalTo(1));
        assertTrue(stored(keyId));
        assertEquals(0, auditEntries(keyId));
    }

    @Test
    void anUnknownKeyIsNothingToDo() {
        service().delete("/internal/v1/keys/" + UUID.randomUUID()).then().statusCode(204);
        service().delete("/internal/v1/keys/not-a-uuid").then().statusCode(400).body("code",
                equalTo("invalid-parameter"));
    }

    @Test
    void onlyServicesDiscard() throws SQLException {
        String mailbox = "not.discarded@example.org";
        Generated key = KeystoreApi.generate(KeyAlgorithm.EC_P256, mailbox);
        for (String token : List.of(TestTokens.user(mailbox), TestTokens.admin())) {
            as(token).delete("/internal/v1/keys/" + key.keyId()).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().delete("/internal/v1/keys/" + key.keyId()).then().statusCode(401)
                .contentType("application/problem+json");
        as(TestTokens.forged()).delete("/internal/v1/keys/" + key.keyId()).then().statusCode(401);
        assertTrue(stored(key.keyId()), "the key is still there");
        assertEquals(0, auditEntries(key.keyId()));
    }

    private boolean stored(String keyId) throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement("select count(*) from stored_key where id = ?")) {
            statement.setObject(1, UUID.fromString(keyId));
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    private String auditedActor(String keyId) throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(
                        "select actor, detail from audit_chain where action = 'KEY_DELETED' and target = ?")) {
            statement.setString(1, keyId);
            try (var rows = statement.executeQuery()) {
                assertTrue(rows.next(), "the discard is audited");
                assertTrue(rows.getString(2).contains("discarded.pending@example.org"), rows.getString(2));
                return rows.getString(1);
            }
        }
    }

    private long auditEntries(String keyId) throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(
                        "select count(*) from audit_chain where action = 'KEY_DELETED' and target = ?")) {
            statement.setString(1, keyId);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
