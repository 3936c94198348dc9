package dev.smimepki.keystore.limits;

import static dev.smimepki.keystore.KeystoreApi.as;
import static dev.smimepki.runtime.test.OversizedBodies.BOUNDARY;
import static dev.smimepki.runtime.test.OversizedBodies.pkcs12Upload;
import static dev.smimepki.runtime.test.OversizedBodies.tooLarge;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.smimepki.runtime.test.OversizedBodies;
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
                .body(pkcs12Upload(new byte[512 * 1024 + 1])).post("/api/v1/keys/import").then(), 512 * 1024);
        as(TestTokens.user(owner)).queryParam("email", owner).get("/api/v1/keys").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    /** Sent chunked, the upload is counted as it is parsed (it was Quarkus' bare 413, without a body). */
    @Test
    void anOversizedPkcs12UploadSentChunkedIsRefused() {
        String owner = "big.chunked.upload@example.org";
        HttpResponse<String> refused = OversizedBodies.postChunked("/api/v1/keys/import", TestTokens.user(owner),
                "multipart/form-data; boundary=" + BOUNDARY, pkcs12Upload(new byte[2 * 1024 * 1024]));
        assertEquals(413, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("\"code\":\"body-too-large\""), refused.body());
        assertTrue(refused.body().contains("at most " + 512 * 1024), refused.body());
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
}
