package dev.smimepki.ca;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.test.ManualRateLimitClock;
import dev.smimepki.runtime.test.TestTokens;

/**
 * Key generation (per user) and OCSP (per client address) are rate limited: the caller over its limit gets 429
 * problem+json with Retry-After (OCSP: an OCSP tryLater response), another caller goes on, and once the (test's) clock has moved on the first is served
 * again. Limits here are tiny: 2 key generations and 3 OCSP requests a second, on a clock that only the test moves.
 */
@QuarkusTest
@TestProfile(RateLimitsTest.TinyLimits.class)
class RateLimitsTest {

    public static class TinyLimits implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ManualRateLimitClock.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pki.rate-limit.operations.key-generation.per-caller", "2",
                    "pki.rate-limit.operations.key-generation.period", "PT1S",
                    "pki.rate-limit.operations.ocsp.per-caller", "3",
                    "pki.rate-limit.operations.ocsp.period", "PT1S");
        }
    }

    @Test
    void keyGenerationIsLimitedPerUserAndAdminsAreExempt() {
        String ca = CaApi.hierarchy(KeyAlgorithm.EC_P256).issuingId();
        String alice = "alice.limited@example.org";
        // in these tests keystore-service is unreachable: a request the limit lets through ends in 503
        assertEquals(503, issueWithServerKey(TestTokens.user(alice), ca, alice).statusCode());
        assertEquals(503, issueWithServerKey(TestTokens.user(alice), ca, alice).statusCode());
        Response refused = issueWithServerKey(TestTokens.user(alice), ca, alice);
        refused.then().statusCode(429).contentType("application/problem+json").body("code", equalTo("rate-limited"))
                .body("detail", containsString("key-generation is limited to 2 requests per PT1S for each caller"));
        assertEquals("1", refused.header("Retry-After"));

        String bob = "bob.limited@example.org";
        assertEquals(503, issueWithServerKey(TestTokens.user(bob), ca, bob).statusCode());
        for (int i = 0; i < 5; i++) {
            assertEquals(503, issueWithServerKey(TestTokens.admin(), ca, alice).statusCode());
        }
        // a CSR brings its own key: not key generation, not limited
        assertEquals(201, asUser(alice).contentType(ContentType.JSON)
                .body(Map.of("caId", ca, "emails", List.of(alice),
                        "csr", CaApi.csr(KeyPairs.generate(KeyAlgorithm.EC_P256))))
                .post("/api/v1/certificates").statusCode());

        // the clock stands still while the test counts; half a second later alice has one key generation again
        assertEquals(429, issueWithServerKey(TestTokens.user(alice), ca, alice).statusCode());
        ManualRateLimitClock.advance(Duration.ofMillis(500));
        assertEquals(503, issueWithServerKey(TestTokens.user(alice), ca, alice).statusCode());
        assertEquals(429, issueWithServerKey(TestTokens.user(alice), ca, alice).statusCode());
    }

    @Test
    void ocspIsLimitedPerClientAddressWithTryLater() {
        String path = "/ocsp/" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            // the body is not an OCSP request: answered, as malformedRequest
            assertEquals(MALFORMED_REQUEST, ocsp("127.0.0.1", path).ocspStatus());
        }
        // past the limit an OCSP client gets what it understands: HTTP 200 carrying tryLater
        HttpAnswer refused = ocsp("127.0.0.1", path);
        assertEquals(200, refused.status());
        assertTrue(refused.head().contains("application/ocsp-response"), refused.head());
        assertEquals(TRY_LATER, refused.ocspStatus());

        // another client address, same loopback interface
        assertEquals(MALFORMED_REQUEST, ocsp("127.0.0.2", path).ocspStatus());
        assertEquals(TRY_LATER, ocsp("127.0.0.1", path).ocspStatus());
        ManualRateLimitClock.advance(Duration.ofMillis(334));
        assertEquals(MALFORMED_REQUEST, ocsp("127.0.0.1", path).ocspStatus());
        assertEquals(TRY_LATER, ocsp("127.0.0.1", path).ocspStatus());
    }

    private static Response issueWithServerKey(String token, String ca, String email) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("caId", ca, "emails", List.of(email), "keyAlgorithm", "EC_P256"))
                .post("/api/v1/certificates");
    }

    private static io.restassured.specification.RequestSpecification asUser(String email) {
        return given().auth().oauth2(TestTokens.user(email));
    }

    /** OCSPResponseStatus values (RFC 6960 section 4.2.1). */
    private static final int MALFORMED_REQUEST = 1;
    private static final int TRY_LATER = 3;

    /** @param ocspStatus the responseStatus of a body that is an OCSPResponse without responseBytes, else -1 */
    private record HttpAnswer(int status, String head, int ocspStatus) {
    }

    /** A raw HTTP/1.1 POST from a chosen loopback source address, so that the limiter sees two clients. */
    private static HttpAnswer ocsp(String from, String path) {
        byte[] body = {0x30, 0x00};
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), RestAssured.port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/ocsp-request\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            String head = answer.substring(0, Math.max(0, end + 2)).toLowerCase();
            String content = end < 0 ? "" : answer.substring(end + 4);
            // SEQUENCE { ENUMERATED status }: 30 03 0a 01 xx
            int ocspStatus = content.length() == 5 && content.charAt(0) == 0x30 && content.charAt(1) == 3
                    && content.charAt(2) == 0x0a && content.charAt(3) == 1 ? content.charAt(4) : -1;
            return new HttpAnswer(Integer.parseInt(answer.substring(9, 12)), head, ocspStatus);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
