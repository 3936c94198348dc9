package dev.smimepki.crypto;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.cms.CMSCompressedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.ZlibCompressor;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.runtime.test.TestTokens;

/**
 * Messages built to hurt: too large, nested a thousand deep, a hundred thousand parts, a decompression bomb. Each is
 * refused with a problem naming the limit.
 */
@QuarkusTest
class HostileMessagesTest {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void aBodyLargerThanTheLimitIsRefusedFromItsContentLengthBeforeItIsRead() {
        byte[] huge = message("Subject: big\r\n\r\n", 9 * 1024 * 1024);
        refused(() -> post("/api/v1/smime/verify", huge), 413, "body-too-large")
                .body("detail", containsString("accepts at most 8388608"));
        refused(() -> post("/api/v1/smime/sign", huge), 413, "body-too-large");
    }

    @Test
    void aChunkedBodyLargerThanTheLimitIsRefusedByTheSpoolsCount() throws Exception {
        byte[] huge = message("Subject: big\r\n\r\n", 9 * 1024 * 1024);
        // a body of unknown length: sent chunked, without Content-Length
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/api/v1/smime/verify")).header("Authorization", "Bearer " + TestTokens.service())
                .header("Content-Type", "message/rfc822")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                request,
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertEquals(PROBLEM, response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\"code\":\"message-too-large\""), response.body());
        assertTrue(response.body().contains("larger than the limit of 8388608 bytes"), response.body());
    }

    @Test
    void aThousandNestedMultipartsAreRefusedAtTheDepthLimit() {
        StringBuilder message = new StringBuilder("From: " + FakeKeystore.ALICE + "\r\n");
        for (int level = 0; level < 1000; level++) {
            message.append("Content-Type: multipart/mixed; boundary=b").append(level).append("\r\n\r\n--b")
                    .append(level).append("\r\n");
        }
        message.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (int level = 999; level >= 0; level--) {
            message.append("--b").append(level).append("--\r\n");
        }
        byte[] bytes = message.toString().getBytes(StandardCharsets.US_ASCII);
        refused(() -> given().auth().oauth2(TestTokens.user(FakeKeystore.ALICE)).contentType("message/rfc822")
                .body(bytes).post("/api/v1/smime/sign").then(), 422, "mime-nesting-too-deep")
                .body("detail", containsString("pki.crypto.mime.max-depth"));
        refused(() -> post("/api/v1/smime/verify", bytes), 422, "mime-nesting-too-deep");
    }

    @Test
    void aHundredThousandPartsAreRefusedAtThePartLimit() {
        String message = "From: " + FakeKeystore.ALICE + "\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n"
                + "--p\r\n\r\nx\r\n".repeat(100_000) + "--p--\r\n";
        refused(() -> post("/api/v1/smime/encrypt", message.getBytes(StandardCharsets.US_ASCII)), 422,
                "mime-too-many-parts").body("detail", containsString("pki.crypto.mime.max-parts"));
    }

    @Test
    void compressedDataIsRefusedNeverInflated() throws Exception {
        // 10 MB of zeros, deflated to a few kilobytes
        byte[] compressed = new CMSCompressedDataGenerator()
                .generate(new CMSProcessableByteArray(new byte[10 * 1024 * 1024]), new ZlibCompressor())
                .getEncoded();
        assertTrue(compressed.length < 64 * 1024, "a bomb: " + compressed.length + " bytes");
        String body = Base64.getMimeEncoder().encodeToString(compressed);
        byte[] labelled = ("From: " + FakeKeystore.ALICE + "\r\nContent-Type: application/pkcs7-mime; "
                + "smime-type=compressed-data; name=smime.p7z\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] unlabelled = ("From: " + FakeKeystore.ALICE + "\r\nContent-Type: application/pkcs7-mime; "
                + "name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        refused(() -> post("/api/v1/smime/verify", labelled), 422, "compressed-data-unsupported")
                .body("detail", containsString("does not decompress"));
        refused(() -> post("/api/v1/smime/verify", unlabelled), 422, "compressed-data-unsupported");
        refused(() -> post("/api/v1/smime/decrypt", labelled), 422, "compressed-data-unsupported");
        refused(() -> post("/api/v1/smime/decrypt", unlabelled), 422, "compressed-data-unsupported");
    }

    private static byte[] message(String headers, int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        byte[] prefix = headers.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        return bytes;
    }

    private static ValidatableResponse post(String path, byte[] body) {
        return given().auth().oauth2(TestTokens.service()).contentType("message/rfc822").body(body).post(path).then();
    }

    /** The answer, after checking its status and code (MessageSpoolTest and MimeStructureTest check the spool). */
    private static ValidatableResponse refused(java.util.function.Supplier<ValidatableResponse> call, int status,
            String code) {
        return call.get().statusCode(status).contentType(PROBLEM).body("status", equalTo(status))
                .body("code", equalTo(code));
    }
}
