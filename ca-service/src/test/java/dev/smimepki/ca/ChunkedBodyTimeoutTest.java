package dev.smimepki.ca;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import dev.smimepki.runtime.test.TestTokens;

/**
 * A chunked body that stops arriving is answered 408 problem+json once {@code pki.http.body-limit.chunked-read-timeout}
 * (2 s in tests) has passed, and its connection is closed: a client cannot hold a request open by sending nothing.
 */
@QuarkusTest
class ChunkedBodyTimeoutTest {

    @Test
    void aChunkedBodyThatStopsArrivingIsAnswered408AndItsConnectionClosed() throws IOException {
        stopsArriving("/api/v1/certificates", "application/json", "{\"csr\"");
    }

    @Test
    void aChunkedMultipartBodyThatStopsArrivingIsAnswered408AndItsConnectionClosed() throws IOException {
        stopsArriving("/api/v1/cas/import", "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nsecret\r\n");
    }

    private static void stopsArriving(String path, String contentType, String start) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000); // the server must close it well before
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestTokens.admin()
                    + "\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(start.length()) + "\r\n" + start + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long sent = System.nanoTime();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            Duration waited = Duration.ofNanos(System.nanoTime() - sent);

            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
            assertTrue(answer.contains("\"code\":\"request-timeout\""), answer);
            assertTrue(answer.contains("did not arrive within 2000 ms"), answer);
            assertTrue(waited.toMillis() >= 1_500, "answered only after the timeout: " + waited);
        }
    }
}
