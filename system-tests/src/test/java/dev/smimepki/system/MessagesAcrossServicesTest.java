package dev.smimepki.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;

/**
 * The services together, as a mail gateway uses them: keys generated in keystore-service for certificates from
 * ca-service, recipients found in directory-service, a large message signed, verified, encrypted and decrypted by
 * crypto-service (heap limited to 256 MB) with every private-key operation done in keystore-service, and the result
 * checked by openssl.
 */
class MessagesAcrossServicesTest {
    /** 200 MB by default (issue 6); {@code -Dpki.system.message-mb=N} for a quicker or longer run. */
    private static final int MESSAGE_MB = Integer.getInteger("pki.system.message-mb", 200);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void largeMessageSignedVerifiedEncryptedAndDecryptedThroughTheServices() throws Exception {
        Platform platform = Platform.get();
        String ca = rsaIssuingCa(platform);
        String alice = "alice.large@example.com";
        String bob = "bob.large@example.com";
        JsonPath aliceCert = issueWithServerKey(platform, ca, alice);
        JsonPath bobCert = issueWithServerKey(platform, ca, bob);
        awaitSigningKey(platform, alice);
        awaitDirectory(platform, bob);

        Path original = dir.resolve("original.eml");
        byte[] bodyDigest = writeMessage(original, alice, bob, MESSAGE_MB);

        Path signed = dir.resolve("signed.eml");
        HttpResponse<Path> signing = post(platform, "/api/v1/smime/sign?mode=detached", platform.token("pki-user",
                alice), original, signed);
        assertEquals(200, signing.statusCode(), () -> problem(signed));

        JsonPath report = verify(platform, signed);
        assertTrue(report.getBoolean("valid"), report.prettify());
        assertTrue(report.getBoolean("chainTrusted"), "the platform's own root is trusted: " + report.prettify());
        assertEquals(alice, report.getString("signer.email"));
        assertEquals(aliceCert.getString("fingerprintSha256"), report.getString("signer.fingerprintSha256"));
        assertTrue(report.getBoolean("harvested"));
        assertEquals("good", report.getString("revocation"), "ca-service's OCSP responder answered: " + report
                .getString("revocationDetail"));

        Path encrypted = dir.resolve("encrypted.eml");
        HttpResponse<Path> encryption = post(platform, "/api/v1/smime/encrypt", platform.token("pki-user", alice),
                signed, encrypted);
        assertEquals(200, encryption.statusCode(), () -> problem(encrypted));

        Path decrypted = dir.resolve("decrypted.eml");
        HttpResponse<Path> decryption = post(platform, "/api/v1/smime/decrypt", platform.token("pki-user", bob),
                encrypted, decrypted);
        assertEquals(200, decryption.statusCode(), () -> problem(decrypted));
        assertEquals("true", decryption.headers().firstValue("X-Smime-Signed").orElse(null));
        assertEquals("true", decryption.headers().firstValue("X-Smime-Signature-Valid").orElse(null));

        // openssl, independently: the decrypted message is Alice's signed message, and its content is the original
        Path root = dir.resolve("root.pem");
        Files.writeString(root, lastCertificate(given().get(platform.url("ca-service") + "/api/v1/cas/" + ca
                + "/chain").then().statusCode(200).extract().asString()));
        Path content = dir.resolve("content.txt");
        OpenSsl.run("cms", "-verify", "-in", decrypted.toString(), "-CAfile", root.toString(), "-purpose",
                "smimesign", "-out", content.toString());
        assertArrayEquals(bodyDigest, digestOfBody(content), "the content survived sign, encrypt and decrypt");

        // the recipient's key, exported from keystore-service as a PKCS#12, opens the message in openssl too
        Path bobP12 = dir.resolve("bob.p12");
        String bobKeyId = bobCert.getString("keyId");
        byte[] p12 = given().auth().oauth2(platform.token("pki-user", bob)).contentType(ContentType.JSON)
                .body(Map.of("password", "correct horse battery staple", "profile", "modern"))
                .post(platform.url("keystore-service") + "/api/v1/keys/" + bobKeyId + "/pkcs12").then()
                .statusCode(200).extract().asByteArray();
        Files.write(bobP12, p12);
        Path bobKey = dir.resolve("bob.key");
        OpenSsl.run("pkcs12", "-in", bobP12.toString(), "-nocerts", "-nodes", "-passin",
                "pass:correct horse battery staple", "-out", bobKey.toString());
        Path opened = dir.resolve("opened-by-openssl.eml");
        OpenSsl.run("cms", "-decrypt", "-in", encrypted.toString(), "-inkey", bobKey.toString(), "-out",
                opened.toString());
        Path openedContent = dir.resolve("opened-content.txt");
        OpenSsl.run("cms", "-verify", "-in", opened.toString(), "-CAfile", root.toString(), "-purpose", "smimesign",
                "-out", openedContent.toString());
        assertArrayEquals(bodyDigest, digestOfBody(openedContent), "openssl opens what crypto-service encrypted");

        // verify (and decrypt) harvested Alice's certificate: the directory counts the sightings, through the broker
        awaitStatus(1,
                () -> Math.min(1, given().get(platform.url("directory-service") + "/api/v1/directory/" + alice).then()
                        .statusCode(200).extract().jsonPath().getInt("certificates.find { it.fingerprintSha256 == '"
                                + aliceCert.getString("fingerprintSha256") + "' }.timesHarvested")));

        ServiceProcess crypto = platform.service("crypto-service");
        String peak = Files.readAllLines(Path.of("/proc/" + crypto.pid() + "/status")).stream()
                .filter(line -> line.startsWith("VmHWM")).findFirst().orElse("VmHWM unknown");
        System.out.printf("crypto-service (-Xmx256m) handled a %d MB message; peak RSS %s%n", MESSAGE_MB,
                peak.replace("VmHWM:", "").strip());
    }

    @Test
    void aRevokedSignerIsReportedRevokedThroughTheCasOwnOcspResponder() throws Exception {
        Platform platform = Platform.get();
        String ca = rsaIssuingCa(platform);
        String carol = "carol.revoked@example.com";
        JsonPath carolCert = issueWithServerKey(platform, ca, carol);
        awaitSigningKey(platform, carol);
        Path original = dir.resolve("carol.eml");
        writeMessage(original, carol, "someone@example.com", 0);
        Path signed = dir.resolve("carol-signed.eml");
        assertEquals(200, post(platform, "/api/v1/smime/sign", platform.token("pki-user", carol), original, signed)
                .statusCode(), () -> problem(signed));

        admin(platform).body(Map.of("reason", "keyCompromise")).post(platform.url("ca-service")
                + "/api/v1/certificates/" + carolCert.getString("serial") + "/revoke").then().statusCode(200);

        JsonPath report = verify(platform, signed);
        assertEquals("revoked", report.getString("revocation"), report.prettify());
        assertEquals(false, report.getBoolean("valid"));
        assertTrue(report.getBoolean("signatureValid"), "the signature itself still matches");
        assertTrue(report.getList("problems").toString().contains("keyCompromise"), report.prettify());
    }

    /**
     * A correspondent whose certificate the platform never saw (another organisation's CA) signs with openssl:
     * verifying the message makes the certificate appear in the directory, through the real broker, as harvested
     * and unverified.
     */
    @Test
    void verifyingAStrangersSignedMailPutsTheirCertificateInTheDirectory() throws Exception {
        Platform platform = Platform.get();
        String stranger = "dora.elsewhere@example.org";
        EndEntity dora = TestPki.create().issue(stranger);
        EndEntity.PemFiles files = dora.writeTo(dir, "dora");
        Path message = dir.resolve("dora.eml");
        writeMessage(message, stranger, "alice.large@example.com", 0);
        Path signed = dir.resolve("dora-signed.eml");
        OpenSsl.run("cms", "-sign", "-in", message.toString(), "-signer", files.certificate().toString(), "-inkey",
                files.privateKey().toString(), "-certfile", files.chain().toString(), "-out", signed.toString());
        given().get(platform.url("directory-service") + "/api/v1/directory/" + stranger).then().statusCode(200)
                .body("certificates.size()", equalTo(0));

        JsonPath report = verify(platform, signed);
        assertTrue(report.getBoolean("signatureValid"), report.prettify());
        assertTrue(report.getBoolean("harvested"), report.prettify());

        String fingerprint = dora.certificate().fingerprintSha256();
        awaitStatus(1, () -> given().get(platform.url("directory-service") + "/api/v1/directory/" + stranger).then()
                .statusCode(200).extract().jsonPath().getList("certificates.findAll { it.fingerprintSha256 == '"
                        + fingerprint + "' && it.source == 'harvested' }")
                .size());
    }

    private static String rsaIssuingCa(Platform platform) {
        String root = admin(platform).body(Map.of("name", "Large Root", "subject", "CN=Large Message Root",
                "keyAlgorithm", "RSA_2048", "validityDays", 3650))
                .post(platform.url("ca-service") + "/api/v1/cas").then().statusCode(201).extract().path("id");
        return admin(platform).body(Map.of("name", "Large Issuing", "subject", "CN=Large Message Issuing",
                "keyAlgorithm", "RSA_2048", "validityDays", 1825, "issuerCaId", root))
                .post(platform.url("ca-service") + "/api/v1/cas").then().statusCode(201).extract().path("id");
    }

    /** No CSR: keystore-service generates the key and keeps it; the answer names it. */
    private static JsonPath issueWithServerKey(Platform platform, String ca, String mailbox) {
        JsonPath issued = admin(platform).body(Map.of("caId", ca, "emails", List.of(mailbox)))
                .post(platform.url("ca-service") + "/api/v1/certificates").then().statusCode(201).extract()
                .jsonPath();
        assertNotNull(issued.getString("keyId"), "server-generated keys are named by keyId");
        return issued;
    }

    /** keystore-service binds the certificate to its key when the issued event arrives. */
    private static void awaitSigningKey(Platform platform, String mailbox) {
        awaitStatus(200, () -> given().auth().oauth2(platform.token("pki-service", null)).queryParam("email", mailbox)
                .get(platform.url("keystore-service") + "/internal/v1/keys/signing").statusCode());
    }

    private static void awaitDirectory(Platform platform, String mailbox) {
        awaitStatus(200, () -> given().get(platform.url("directory-service") + "/api/v1/directory/" + mailbox
                + "/certificate").statusCode());
    }

    private static void awaitStatus(int expected, java.util.function.IntSupplier status) {
        Instant deadline = Instant.now().plusSeconds(30);
        int last = status.getAsInt();
        while (last != expected && Instant.now().isBefore(deadline)) {
            sleep();
            last = status.getAsInt();
        }
        assertEquals(expected, last, "the event reached the consumer within 30 s");
    }

    private static JsonPath verify(Platform platform, Path message) throws Exception {
        Path report = message.resolveSibling("report.json");
        HttpResponse<Path> response = post(platform, "/api/v1/smime/verify", platform.adminToken(), message, report);
        assertEquals(200, response.statusCode(), () -> problem(report));
        return JsonPath.from(report.toFile());
    }

    private static HttpResponse<Path> post(Platform platform, String path, String token, Path body, Path out)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.url("crypto-service") + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "message/rfc822")
                .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofFile(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofFile(out));
    }

    /** A plain-text message of about {@code megabytes} (one line for 0); returns the SHA-256 of its body as openssl will output it. */
    private static byte[] writeMessage(Path file, String from, String to, int megabytes) throws Exception {
        MessageDigest body = MessageDigest.getInstance(AlgorithmPolicy.FINGERPRINT_DIGEST);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(("From: " + from + "\r\nTo: " + to + "\r\nSubject: large report\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long lines = Math.max(1, megabytes * 1024L * 1024L / 80);
            for (long i = 0; i < lines; i++) {
                byte[] line = String.format("%010d the quick brown fox jumps over the lazy dog, line by line...\r\n",
                        i).getBytes(StandardCharsets.US_ASCII);
                out.write(line);
                body.update(line);
            }
        }
        return body.digest();
    }

    /** openssl writes the signed entity: its MIME headers, a blank line, then the body; hash the body. */
    private static byte[] digestOfBody(Path entity) throws Exception {
        MessageDigest digest = MessageDigest.getInstance(AlgorithmPolicy.FINGERPRINT_DIGEST);
        try (InputStream in = Files.newInputStream(entity)) {
            int state = 0; // counts CR LF CR LF
            int b;
            while (state < 4 && (b = in.read()) >= 0) {
                state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1)
                        ? state + 1
                        : b == '\r' ? 1 : 0;
            }
            try (DigestInputStream rest = new DigestInputStream(in, digest)) {
                rest.transferTo(OutputStream.nullOutputStream());
            }
        }
        return digest.digest();
    }

    private static String lastCertificate(String chainPem) {
        int begin = chainPem.lastIndexOf("-----BEGIN CERTIFICATE-----");
        return chainPem.substring(begin);
    }

    private static String problem(Path answer) {
        try {
            byte[] head = Files.readAllBytes(answer);
            return new String(head, 0, Math.min(head.length, 2000), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static io.restassured.specification.RequestSpecification admin(Platform platform) {
        return given().auth().oauth2(platform.adminToken()).contentType(ContentType.JSON);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
