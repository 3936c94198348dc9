package dev.smimepki.ca;

import static dev.smimepki.ca.CaApi.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.runtime.test.TableRows;
import dev.smimepki.runtime.test.TestTokens;

/**
 * Server-side key generation never leaves a private key in keystore-service for a certificate that was not issued: a
 * request refused by the checks that need no key never asks for one, and a key generated for a request that fails
 * afterwards is discarded again, without the discard ever changing the answer.
 */
@QuarkusTest
@TestProfile(ServerKeyDiscardTest.WithFakeKeystore.class)
class ServerKeyDiscardTest {
    private static final List<String> TABLES = List.of("serial_number", "issued_certificate",
            "issued_certificate_email", "outbox_event", "audit_chain");
    private static final String MAILBOX = "server.key@example.org";
    private static CaApi.Hierarchy ca;

    public static class WithFakeKeystore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.keystore.url", "http://127.0.0.1:" + FakeKeystore.freePort());
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.rest-client.keystore.url")
    URI keystoreUrl;

    @BeforeEach
    void resetKeystore() {
        FakeKeystore.startOn(keystoreUrl.getPort());
        FakeKeystore.reset();
        if (ca == null) {
            ca = CaApi.newHierarchy(KeyAlgorithm.EC_P256);
        }
    }

    @Test
    void anIssuedCertificateKeepsItsKey() {
        String keyId = post(request()).statusCode(201).body("emails", contains(MAILBOX)).extract().path("keyId");
        assertEquals(Set.of(keyId), FakeKeystore.held());
        assertEquals(List.of(), FakeKeystore.discarded());
    }

    @Test
    void requestsRefusedBeforeKeyGenerationNeverAskForAKey() {
        Map<String, Object> tooLong = request();
        tooLong.put("validityDays", 3000);
        refused(422, "certificate-lint-failed", () -> post(tooLong)).body("errors.check", contains("validity.maximum"));
        Map<String, Object> badProfile = request();
        badProfile.put("profile", "lenient");
        refused(400, "invalid-profile", () -> post(badProfile));
        Map<String, Object> badUsage = request();
        badUsage.put("usage", "everything");
        refused(400, null, () -> post(badUsage));
        Map<String, Object> badAlgorithm = request();
        badAlgorithm.put("keyAlgorithm", "DSA_1024");
        refused(400, "unknown-key-algorithm", () -> post(badAlgorithm));
        Map<String, Object> badEmail = request();
        badEmail.put("emails", List.of(MAILBOX, "not-an-address"));
        refused(400, "invalid-email", () -> post(badEmail)).body("errors.field", contains("emails[1]"));
        Map<String, Object> longCommonName = request();
        longCommonName.put("emails", List.of("a".repeat(60) + "@example.org"));
        refused(400, "invalid-common-name", () -> post(longCommonName));
        Map<String, Object> unknownCa = request();
        unknownCa.put("caId", "00000000-0000-4000-8000-000000000000");
        refused(404, "ca-not-found", () -> post(unknownCa));
        refused(403, null, () -> given().auth().oauth2(TestTokens.user("someone.else@example.org"))
                .contentType(ContentType.JSON).body(request()).post("/api/v1/certificates").then());

        assertEquals(0, FakeKeystore.generations(), "keystore-service was never asked for a key");
    }

    @Test
    void aKeyForACertificateThatFailsToBeRecordedIsDiscarded() {
        FakeKeystore.answer(FakeKeystore.Answer.OVERLONG_KEY_ID);
        refused(500, "internal-error", () -> post(request()));
        assertEquals(1, FakeKeystore.generations());
        assertEquals(1, FakeKeystore.discarded().size(), "the generated key was discarded");
        assertEquals(Set.of(), FakeKeystore.held(), "no key is left in keystore-service");
    }

    @Test
    void aKeyCaServiceCannotUseIsDiscarded() {
        FakeKeystore.answer(FakeKeystore.Answer.OTHER_KEY_TYPE);
        refused(503, "keystore-unavailable", () -> post(request()));
        assertEquals(1, FakeKeystore.generations());
        assertEquals(1, FakeKeystore.discarded().size(), "the generated key was discarded");
        assertEquals(Set.of(), FakeKeystore.held(), "no key is left in keystore-service");
    }

    @Test
    void aFailedDiscardIsLoggedAndTheClientGetsTheOriginalError() {
        FakeKeystore.answer(FakeKeystore.Answer.OVERLONG_KEY_ID);
        FakeKeystore.discardStatus(409);
        List<LogRecord> warnings = new ArrayList<>();
        Logger logger = Logger.getLogger("dev.smimepki.ca.keystore.ServerKeyGeneration");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (warnings) {
                        warnings.add(record);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            refused(500, "internal-error", () -> post(request()));
        } finally {
            logger.removeHandler(handler);
        }
        String keyId = FakeKeystore.discarded().get(0);
        assertEquals(Set.of(keyId), FakeKeystore.held(), "keystore-service kept the key");
        synchronized (warnings) {
            assertTrue(warnings.stream().anyMatch(record -> formatted(record).contains(keyId)),
                    "the key left behind is named in a warning");
        }
    }

    private ValidatableResponse refused(int status, String code, Supplier<ValidatableResponse> call) {
        Map<String, Long> before = counts();
        ValidatableResponse response = call.get().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status));
        if (code != null) {
            response.body("code", equalTo(code));
        }
        assertEquals(before, counts(), "nothing written for a refused request (" + code + ")");
        return response;
    }

    private static Map<String, Object> request() {
        Map<String, Object> body = new HashMap<>();
        body.put("caId", ca.issuingId());
        body.put("emails", List.of(MAILBOX));
        body.put("keyAlgorithm", "EC_P256");
        return body;
    }

    private static ValidatableResponse post(Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/certificates").then();
    }

    private static String formatted(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        return parameters == null ? message : message + " " + Arrays.toString(parameters);
    }

    private Map<String, Long> counts() {
        return TableRows.counts(dataSource, TABLES);
    }
}
