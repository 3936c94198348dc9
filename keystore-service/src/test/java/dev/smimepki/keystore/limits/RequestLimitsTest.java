package dev.smimepki.keystore.limits;

import static dev.smimepki.keystore.KeystoreApi.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.runtime.test.TestTokens;

/**
 * keystore-service's bodies have size limits, answered 413 problem+json before the body reaches the service: JSON
 * (64 KiB) and a PKCS#12 upload (512 KiB).
 */
@QuarkusTest
class RequestLimitsTest {

    @Test
    void anOversizedPkcs12UploadIsRefused() {
        String owner = "big.upload@example.org";
        tooLarge(as(TestTokens.user(owner)).contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(new byte[512 * 1024 + 1])).post("/api/v1/keys/import").then(), 512 * 1024);
        as(TestTokens.user(owner)).queryParam("email", owner).get("/api/v1/keys").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void anOversizedJsonBodyIsRefused() {
        tooLarge(as(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"password\":\"" + "p".repeat(64 * 1024) + "\"}")
                .post("/api/v1/keys/" + UUID.randomUUID() + "/pkcs12").then(), 64 * 1024);
        tooLarge(as(TestTokens.service()).contentType(ContentType.JSON)
                .body("{\"digest\":\"" + "A".repeat(64 * 1024) + "\"}")
                .post("/internal/v1/keys/" + UUID.randomUUID() + "/sign").then(), 64 * 1024);
    }

    private static final String BOUNDARY = "limit-test-boundary";

    /** A PKCS#12 upload as a browser sends it, whole, so that it has a Content-Length. */
    private static byte[] multipart(byte[] file) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nwhatever\r\n--"
                + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"pkcs12\"; filename=\"big.p12\"\r\n"
                + "Content-Type: application/x-pkcs12\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(head, head.length + file.length + tail.length);
        System.arraycopy(file, 0, body, head.length, file.length);
        System.arraycopy(tail, 0, body, head.length + file.length, tail.length);
        return body;
    }

    private static ValidatableResponse tooLarge(ValidatableResponse response, long limit) {
        return response.statusCode(413).contentType("application/problem+json").body("status", equalTo(413))
                .body("code", equalTo("body-too-large")).body("detail", containsString("at most " + limit));
    }
}
