package dev.smimepki.keystore.limits;

import static dev.smimepki.keystore.KeystoreApi.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.keystore.CertificateEvents;
import dev.smimepki.keystore.KeystoreApi;
import dev.smimepki.runtime.test.ManualRateLimitClock;
import dev.smimepki.runtime.test.TestTokens;

/**
 * PKCS#12 export is rate limited per user (here 2 a second): the third export in a row is 429 problem+json with
 * Retry-After, another user and an admin go on, and once the (test's) clock has moved on the first user is served
 * again.
 */
@QuarkusTest
@TestProfile(RateLimitsTest.TinyLimits.class)
class RateLimitsTest {
    private static final String PASSWORD = "Correct horse battery 7";
    private static CertificateEvents events;

    public static class TinyLimits implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ManualRateLimitClock.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pki.rate-limit.operations.pkcs12-export.per-caller", "2",
                    "pki.rate-limit.operations.pkcs12-export.period", "PT1S");
        }
    }

    @BeforeAll
    static void connect() {
        events = new CertificateEvents();
    }

    @AfterAll
    static void disconnect() {
        events.close();
    }

    @Test
    void pkcs12ExportIsLimitedPerUser() {
        String alice = "alice.exports@example.org";
        String bob = "bob.exports@example.org";
        String aliceKey = KeystoreApi.keyIdOf(KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P256, alice));
        String bobKey = KeystoreApi.keyIdOf(KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P256, bob));

        assertEquals(200, export(TestTokens.user(alice), aliceKey).statusCode());
        assertEquals(200, export(TestTokens.user(alice), aliceKey).statusCode());
        Response refused = export(TestTokens.user(alice), aliceKey);
        refused.then().statusCode(429).contentType("application/problem+json").body("code", equalTo("rate-limited"))
                .body("detail", containsString("pkcs12-export is limited to 2 requests per PT1S for each caller"));
        assertEquals("1", refused.header("Retry-After"));

        assertEquals(200, export(TestTokens.user(bob), bobKey).statusCode());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, export(TestTokens.admin(), aliceKey).statusCode());
        }

        // the clock stands still while the test counts; half a second later alice may export once more
        assertEquals(429, export(TestTokens.user(alice), aliceKey).statusCode());
        ManualRateLimitClock.advance(Duration.ofMillis(500));
        assertEquals(200, export(TestTokens.user(alice), aliceKey).statusCode());
        assertEquals(429, export(TestTokens.user(alice), aliceKey).statusCode());
    }

    private static Response export(String token, String keyId) {
        return as(token).contentType(ContentType.JSON).body(Map.of("password", PASSWORD))
                .post("/api/v1/keys/" + keyId + "/pkcs12");
    }
}
