package dev.smimepki.ca;

import static dev.smimepki.ca.CaApi.asAdmin;
import static dev.smimepki.runtime.test.OversizedBodies.BOUNDARY;
import static dev.smimepki.runtime.test.OversizedBodies.pkcs12Upload;
import static dev.smimepki.runtime.test.OversizedBodies.tooLarge;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.runtime.test.TestTokens;

/**
 * Every kind of body ca-service takes has a size limit, answered 413 problem+json from the Content-Length before the
 * body reaches the service: JSON (64 KiB), OCSP requests (16 KiB), a CA's PKCS#12 upload (2 MiB).
 */
@QuarkusTest
class RequestLimitsTest {

    @Test
    void anOversizedJsonBodyCreatesNothing() {
        int before = asAdmin().get("/api/v1/cas").then().statusCode(200).extract().path("size()");
        String padded = "{\"name\":\"Too Big\",\"subject\":\"CN=Too Big\",\"keyAlgorithm\":\"EC_P256\","
                + "\"validityDays\":10,\"padding\":\"" + "x".repeat(64 * 1024) + "\"}";
        tooLarge(asAdmin().contentType(ContentType.JSON).body(padded).post("/api/v1/cas").then(), 64 * 1024)
                .body("detail", containsString("POST /api/v1/cas accepts at most 65536"));
        assertEquals(before, (int) asAdmin().get("/api/v1/cas").then().statusCode(200).extract().path("size()"));

        String issuing = CaApi.hierarchy(KeyAlgorithm.EC_P256).issuingId();
        tooLarge(asAdmin().contentType(ContentType.JSON)
                .body("{\"caId\":\"" + issuing + "\",\"emails\":[\"big@example.org\"],\"csr\":\""
                        + "A".repeat(70_000) + "\"}")
                .post("/api/v1/certificates").then(), 64 * 1024);
        asAdmin().queryParam("email", "big@example.org").get("/api/v1/certificates").then().statusCode(200)
                .body("items.size()", equalTo(0));
    }

    /**
     * Without a Content-Length the size is learnt while the body is read, by Quarkus REST's input stream with the
     * path's limit (RequestBodyLimits sets it): a 413 and a closed connection, nothing created. That stream writes
     * the 413 itself, without a problem body (no hook lets a service write one there).
     */
    @Test
    void anOversizedJsonBodySentChunkedIsRefusedAndCreatesNothing() throws Exception {
        int before = asAdmin().get("/api/v1/cas").then().statusCode(200).extract().path("size()");
        byte[] padded = ("{\"name\":\"Chunked\",\"subject\":\"CN=Chunked\",\"keyAlgorithm\":\"EC_P256\","
                + "\"validityDays\":10,\"padding\":\"" + "x".repeat(256 * 1024) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
        // no Content-Length: the body's length is learnt only while it is read
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/cas"))
                        .header("Authorization", "Bearer " + TestTokens.admin())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(padded))).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals("close", answer.headers().firstValue("Connection").orElse(""));
        assertEquals(before, (int) asAdmin().get("/api/v1/cas").then().statusCode(200).extract().path("size()"));
    }

    @Test
    void anOversizedOcspRequestIsRefusedAndTheConnectionStillServes() {
        byte[] request = new byte[16 * 1024 + 1];
        Arrays.fill(request, (byte) 0x30);
        tooLarge(given().contentType("application/ocsp-request").body(request)
                .post("/ocsp/" + UUID.randomUUID()).then(), 16 * 1024);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void anOversizedPkcs12UploadIsRefusedBeforeItIsStored() {
        int before = asAdmin().get("/api/v1/cas").then().statusCode(200).extract().path("size()");
        tooLarge(asAdmin().contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(pkcs12Upload(new byte[2 * 1024 * 1024 + 1])).post("/api/v1/cas/import").then(), 2 * 1024 * 1024);
        assertEquals(before, (int) asAdmin().get("/api/v1/cas").then().statusCode(200).extract().path("size()"));
    }
}
