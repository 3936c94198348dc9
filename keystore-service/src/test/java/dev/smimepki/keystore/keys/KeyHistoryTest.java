package dev.smimepki.keystore.keys;

import static dev.smimepki.keystore.KeystoreApi.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.keystore.CertificateEvents;
import dev.smimepki.keystore.KeystoreApi;
import dev.smimepki.keystore.KeystoreApi.Generated;
import dev.smimepki.runtime.test.TestTokens;

/** A mailbox's key history: every key, newest first, superseded and revoked ones too, metadata only. */
@QuarkusTest
class KeyHistoryTest {
    private static final String MAILBOX = "history.user@example.org";
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
    void newestFirstWithSupersededRevokedExpiredAndPendingKeys() {
        EndEntity oldest = KeystoreApi.generateAndBind(events, KeyAlgorithm.RSA_2048, MAILBOX);
        Generated expiredKey = KeystoreApi.generate(KeyAlgorithm.EC_P256, MAILBOX);
        EndEntity expired = KeystoreApi.certify(expiredKey, EndEntitySpec.forEmails(MAILBOX).expired());
        events.send(CertificateEvents.issued(expired, expiredKey.keyId()));
        CertificateEvents.await(() -> KeystoreApi.bound(expired));
        EndEntity revoked = KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P256, MAILBOX);
        events.send(CertificateEvents.revoked(revoked, "keyCompromise"));
        EndEntity newest = KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P384, MAILBOX);
        Generated pending = KeystoreApi.generate(KeyAlgorithm.RSA_2048, MAILBOX);
        String revokedKey = KeystoreApi.keyIdOf(revoked);
        CertificateEvents.await(() -> "revoked".equals(status(revokedKey)));

        List<String> expectedOrder = List.of(pending.keyId(), KeystoreApi.keyIdOf(newest), revokedKey,
                expiredKey.keyId(), KeystoreApi.keyIdOf(oldest));
        as(TestTokens.user(MAILBOX)).get("/api/v1/keys?email=" + MAILBOX).then().statusCode(200)
                .body("keyId", equalTo(expectedOrder))
                .body("status", equalTo(List.of("pending", "current", "revoked", "expired", "superseded")))
                .body("keyAlgorithm", equalTo(List.of("RSA_2048", "EC_P384", "EC_P256", "EC_P256", "RSA_2048")))
                .body("[1].certificates[0].fingerprintSha256", equalTo(newest.certificate().fingerprintSha256()))
                .body("[2].certificates[0].revocationReason", equalTo("keyCompromise"))
                .body("[0].certificates.size()", equalTo(0))
                .body(not(containsString("PRIVATE")))
                .body(not(containsString("BEGIN")));
        // a user's own mailbox is the default; the domain matches case-insensitively
        as(TestTokens.user(MAILBOX)).get("/api/v1/keys").then().statusCode(200).body("keyId", equalTo(expectedOrder));
        as(TestTokens.admin()).get("/api/v1/keys?email=history.user@EXAMPLE.ORG").then().statusCode(200)
                .body("keyId", equalTo(expectedOrder));
        assertEquals(0, as(TestTokens.admin()).get("/api/v1/keys?email=History.user@example.org").then()
                .statusCode(200).extract().<Integer>path("size()"), "the local part is matched as given");
    }

    @Test
    void aUserSeesOnlyItsOwnMailbox() {
        as(TestTokens.user("nosy@example.org")).get("/api/v1/keys?email=" + MAILBOX).then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("not-owner"));
        as(TestTokens.service()).get("/api/v1/keys?email=" + MAILBOX).then().statusCode(403);
        // without email, the caller's own mailbox: the admin token's upn has no keys
        as(TestTokens.admin()).get("/api/v1/keys").then().statusCode(200).body("size()", equalTo(0));
        as(TestTokens.admin()).get("/api/v1/keys?email=not-an-address").then().statusCode(400);
        given().get("/api/v1/keys?email=" + MAILBOX).then().statusCode(401);
    }

    @Test
    void onlyAnAdminDeletesAKeyGivingAReasonAndTheDeletionIsAudited() throws Exception {
        String mailbox = "deleted.key@example.org";
        EndEntity entity = KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P256, mailbox);
        String keyId = KeystoreApi.keyIdOf(entity);
        as(TestTokens.user(mailbox)).delete("/api/v1/keys/" + keyId + "?reason=mine").then().statusCode(403);
        as(TestTokens.service()).delete("/api/v1/keys/" + keyId + "?reason=cleanup").then().statusCode(403);
        as(TestTokens.admin()).delete("/api/v1/keys/" + keyId).then().statusCode(400);
        as(TestTokens.user(mailbox)).get("/api/v1/keys").then().body("keyId", equalTo(List.of(keyId)));

        as(TestTokens.admin()).delete("/api/v1/keys/" + keyId + "?reason=user left, mail archived")
                .then().statusCode(204);
        as(TestTokens.user(mailbox)).get("/api/v1/keys").then().statusCode(200).body("size()", equalTo(0));
        KeystoreApi.service().get("/internal/v1/keys/signing?email=" + mailbox).then().statusCode(404);
        as(TestTokens.admin()).delete("/api/v1/keys/" + keyId + "?reason=again").then().statusCode(404);
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(
                        "select actor, detail from audit_chain where action = 'KEY_DELETED' and target = ?")) {
            statement.setString(1, keyId);
            try (var rows = statement.executeQuery()) {
                assertTrue(rows.next(), "the deletion is audited");
                assertEquals("admin@example.org", rows.getString(1));
                assertEquals("mailboxes deleted.key@example.org; reason: user left, mail archived",
                        rows.getString(2));
            }
        }
    }

    private static String status(String keyId) {
        List<String> ids = as(TestTokens.admin()).get("/api/v1/keys?email=" + MAILBOX).then().extract().path("keyId");
        List<String> statuses = as(TestTokens.admin()).get("/api/v1/keys?email=" + MAILBOX).then().extract()
                .path("status");
        int index = ids.indexOf(keyId);
        return index < 0 ? null : statuses.get(index);
    }
}
