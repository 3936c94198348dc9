package dev.smimepki.runtime.test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;

/**
 * What every service promises besides its own API (API.md conventions): health, metrics, OpenAPI, and problem+json
 * for a path that does not exist. Each service's {@code @QuarkusTest} extends this.
 */
public abstract class PlatformEndpointsContract {

    @Test
    void liveAndReadyWithDatabaseAndBroker() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Database connections health check"))
                .body(containsString("outbox relay"));
    }

    @Test
    void metricsInPrometheusFormat() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("pki_outbox_pending"));
    }

    @Test
    void openApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200).body("openapi",
                containsString("3."));
    }

    /**
     * A client that offers the HTTP/2 cleartext upgrade (the JDK's HttpClient does by default) is answered in
     * HTTP/1.1: the upgrade path, which streams a large request body through HTTP/2 flow control, is off.
     */
    @Test
    void http2CleartextUpgradeIsDeclined() throws Exception {
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                HttpRequest
                        .newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/no-such-thing"))
                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_1_1, answer.version());
    }

    /**
     * Vert.x refuses a request without a Host header before any endpoint; it was a 400 with an empty body. (A URI that
     * java.net.URI cannot parse, such as one with an invalid percent-escape, is still refused by Quarkus with a bare
     * 400 before the router.)
     */
    @Test
    void aRequestVertxRefusesBeforeAnyEndpointIsProblemJson() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /api/v1/no-such-thing HTTP/1.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: application/problem+json"), answer);
            assertTrue(answer.contains("\"code\":\"http-400\""), answer);
            assertTrue(answer.contains("Host"), answer);
        }
    }

    @Test
    void unknownPathIsProblemJson() {
        given().get("/api/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("type", containsString("urn:smimepki:problem:"))
                .body(not(containsString("Exception")));
    }
}
