package dev.smimepki.runtime.test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;

/** Bodies over a path's limit, and what every service answers them: 413 problem+json naming the limit. */
public final class OversizedBodies {
    /** The multipart boundary of {@link #pkcs12Upload}. */
    public static final String BOUNDARY = "limit-test-boundary";

    private OversizedBodies() {
    }

    /** A PKCS#12 upload as a browser sends it, whole, so that it has a Content-Length. */
    public static byte[] pkcs12Upload(byte[] file) {
        return pkcs12Upload(file, "whatever");
    }

    /** A PKCS#12 upload of {@code file} with its {@code password}, multipart with {@link #BOUNDARY}. */
    public static byte[] pkcs12Upload(byte[] file, String password) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n" + password
                + "\r\n--"
                + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"pkcs12\"; filename=\"big.p12\"\r\n"
                + "Content-Type: application/x-pkcs12\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(head, head.length + file.length + tail.length);
        System.arraycopy(file, 0, body, head.length, file.length);
        System.arraycopy(tail, 0, body, head.length + file.length, tail.length);
        return body;
    }

    /**
     * POSTs {@code body} chunked (no Content-Length, as a client streaming a body of unknown length does) to the test
     * instance's {@code path}, over HTTP/1.1.
     */
    public static HttpResponse<String> postChunked(String path, String token, String contentType, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request,
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Asserts the refusal of a body over {@code limit} bytes. */
    public static ValidatableResponse tooLarge(ValidatableResponse response, long limit) {
        return response.statusCode(413).contentType("application/problem+json").body("status", equalTo(413))
                .body("code", equalTo("body-too-large")).body("detail", containsString("at most " + limit));
    }
}
