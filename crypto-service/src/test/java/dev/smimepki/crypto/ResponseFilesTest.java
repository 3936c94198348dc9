package dev.smimepki.crypto;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

import dev.smimepki.runtime.test.TestTokens;

/**
 * A finished message goes out whole, with its length, and its temporary file is gone once the response has ended:
 * read to its end, or broken off by a client that hangs up in the middle of a large body.
 */
@QuarkusTest
class ResponseFilesTest {
    private static final Path TEMPORARY = Path.of(System.getProperty("java.io.tmpdir"));

    @Test
    void theAnswerIsWholeAndItsFileIsDeletedAfterwards() throws IOException {
        Set<Path> before = spoolFiles();
        Response response = given().auth().oauth2(TestTokens.service()).contentType("message/rfc822")
                .body(message(200_000)).post("/api/v1/smime/sign");
        response.then().statusCode(200).contentType("message/rfc822");
        byte[] body = response.asByteArray();
        assertEquals(Integer.toString(body.length), response.header("Content-Length"));
        assertTrue(new String(body, StandardCharsets.US_ASCII).contains("application/pkcs7-signature"));
        awaitNoneLeftBut(before);
    }

    @Test
    void aClientThatHangsUpMidBodyLeavesNoFileBehind() throws IOException {
        Set<Path> before = spoolFiles();
        byte[] body = message(8_000_000);
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/smime/sign HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TestTokens.service() + "\r\nContent-Type: message/rfc822\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] start = in.readNBytes(64 * 1024);
            assertTrue(new String(start, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"),
                    new String(start, 0, Math.min(200, start.length), StandardCharsets.US_ASCII));
        } // closed with most of the answer unread
        awaitNoneLeftBut(before);
    }

    private static byte[] message(int size) {
        StringBuilder message = new StringBuilder("From: " + FakeKeystore.ALICE + "\r\nTo: bob@example.com\r\n"
                + "Subject: a long one\r\nContent-Type: text/plain\r\n\r\n");
        while (message.length() < size) {
            message.append("A line of the minutes, again and again, to make the message large.\r\n");
        }
        return message.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void awaitNoneLeftBut(Set<Path> before) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        Set<Path> left;
        do {
            left = spoolFiles();
            left.removeAll(before);
            if (left.isEmpty()) {
                return;
            }
            sleep();
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("temporary files left after the response ended: " + left);
    }

    private static Set<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(TEMPORARY)) {
            return files.filter(f -> f.getFileName().toString().startsWith("smime-"))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
