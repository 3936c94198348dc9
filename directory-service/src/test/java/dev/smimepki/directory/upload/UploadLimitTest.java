package dev.smimepki.directory.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.runtime.test.OversizedBodies;
import dev.smimepki.runtime.test.TestTokens;

/**
 * An upload larger than 1 MiB is refused 413 problem+json, from its Content-Length or, sent chunked, by counting it;
 * nothing of it is stored.
 */
@QuarkusTest
class UploadLimitTest {

    @Test
    void anOversizedUploadIsRefusedAndStoresNothing() {
        String email = "padded.upload@example.org";
        String pem = TestPki.shared().issue(EndEntitySpec.forEmails(email)).certificate().pem();
        // a good certificate, padded with comment lines past the limit
        String body = pem + ("# padding " + "x".repeat(100) + "\n").repeat(10_000);
        given().auth().oauth2(TestTokens.user(email)).contentType(UploadFormat.PEM_FILE)
                .body(body.getBytes(StandardCharsets.US_ASCII)).post("/api/v1/directory/certificates").then()
                .statusCode(413).contentType("application/problem+json").body("code", equalTo("body-too-large"))
                .body("detail", containsString("accepts at most 1048576"));
        given().get("/api/v1/directory/" + email + "/certificate").then().statusCode(404);
    }

    @Test
    void aChunkedUploadIsCountedRefusedPastTheLimitAndTakenWholeBelowIt() {
        String email = "chunked.upload@example.org";
        EndEntity entity = TestPki.shared().issue(EndEntitySpec.forEmails(email));
        String pem = entity.certificate().pem();
        String padded = pem + ("# padding " + "x".repeat(100) + "\n").repeat(10_000);
        HttpResponse<String> refused = OversizedBodies.postChunked("/api/v1/directory/certificates",
                TestTokens.user(email), UploadFormat.PEM_FILE, padded.getBytes(StandardCharsets.US_ASCII));
        assertEquals(413, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("\"code\":\"body-too-large\""), refused.body());
        assertTrue(refused.body().contains("accepts at most 1048576"), refused.body());
        given().get("/api/v1/directory/" + email + "/certificate").then().statusCode(404);

        HttpResponse<String> taken = OversizedBodies.postChunked("/api/v1/directory/certificates",
                TestTokens.user(email), UploadFormat.PEM_FILE, pem.getBytes(StandardCharsets.US_ASCII));
        assertEquals(201, taken.statusCode(), taken.body());
        assertTrue(taken.body().contains(entity.certificate().fingerprintSha256()), "the whole body was read: "
                + taken.body());
    }
}
