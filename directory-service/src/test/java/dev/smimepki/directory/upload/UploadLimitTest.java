package dev.smimepki.directory.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.runtime.test.TestTokens;

/** An upload larger than 1 MiB is refused 413 problem+json from its Content-Length; nothing of it is stored. */
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
}
