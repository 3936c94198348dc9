package dev.smimepki.crypto;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.cms.CMSAlgorithm;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.events.CertificateHarvested;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.EventJson;
import dev.smimepki.events.Topics;
import dev.smimepki.infra.test.TopicReader;
import dev.smimepki.runtime.test.TestTokens;

/**
 * The HTTP API end to end: signing through keystore-service's API (an HTTP stand-in), verification with the JSON
 * report of API.md, and the harvested certificate arriving on the real broker.
 */
@QuarkusTest
class SmimeEndpointsTest {
    private static final String BODY = "Minutes of the Q4 meeting.\n";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = FakeKeystore.FILES)
    Path files;

    @Test
    void signedMessageVerifiesWithOpensslAndHereAndIsHarvestedThroughTheBroker() throws Exception {
        byte[] signed = sign(TestTokens.user(FakeKeystore.ALICE), "detached", FakeKeystore.ALICE, null);
        Path file = Files.write(Files.createTempFile(files, "signed", ".eml"), signed);
        OpenSsl.run("cms", "-verify", "-in", file.toString(), "-CAfile", files.resolve("root.pem").toString(), "-out",
                files.resolve("signed.out").toString());

        Response report = verify(TestTokens.service(), signed);
        report.then().statusCode(200)
                .body("signed", equalTo(true))
                .body("valid", equalTo(true))
                .body("chainTrusted", equalTo(true))
                .body("revocation", equalTo("unknown"))
                .body("revocationDetail", startsWith("the certificate names no OCSP responder and no CRL"))
                .body("signer.email", equalTo(FakeKeystore.ALICE))
                .body("problems.size()", equalTo(0))
                .body("harvested", equalTo(true))
                .body("signingTime", not(equalTo(null)));
        String fingerprint = report.path("signer.fingerprintSha256");
        assertEquals(Certificate.fromPem(Files.readString(files.resolve("alice.pem"))).fingerprintSha256(),
                fingerprint);

        // other tests verify alice's openssl-made signatures too (openssl announces a longer list); ours announces
        // exactly AES-256-CBC and AES-128-CBC
        List<String> announced = List.of(CMSAlgorithm.AES256_CBC.getId(), CMSAlgorithm.AES128_CBC.getId());
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrapServers, Topics.HARVEST,
                r -> fingerprint.equals(r.key()) && announced.equals(EventJson.read(r.value(),
                        CertificateHarvested.class).smimeCapabilities()),
                1, Duration.ofSeconds(30));
        assertEquals(1, records.size(), "one harvest event on " + Topics.HARVEST);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertEquals("pki.certificate.harvested.v1",
                new String(record.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8));
        CertificateHarvested harvested = EventJson.read(record.value(), CertificateHarvested.class);
        assertEquals(List.of(FakeKeystore.ALICE), harvested.emails());
        assertTrue(harvested.signatureValid());
        assertEquals(announced, harvested.smimeCapabilities());
        assertTrue(harvested.chainPem().contains("BEGIN CERTIFICATE"), "the message's chain travels along");
    }

    @Test
    void ecSignerSignsOpaqueAsAServiceAndATamperedCopyIsInvalid() throws Exception {
        byte[] signed = sign(TestTokens.service(), "opaque", FakeKeystore.ERIN, null);
        assertTrue(new String(signed, StandardCharsets.US_ASCII).contains("smime-type=signed-data"));
        verify(TestTokens.user("someone@example.net"), signed).then().statusCode(200)
                .body("valid", equalTo(true)).body("format", equalTo("signed-data"))
                .body("signer.email", equalTo(FakeKeystore.ERIN));

        byte[] detached = sign(TestTokens.service(), "detached", FakeKeystore.ERIN, null);
        byte[] tampered = Messages.tamper(detached, "Q4");
        verify(TestTokens.admin(), tampered).then().statusCode(200)
                .body("signed", equalTo(true))
                .body("valid", equalTo(false))
                .body("signatureValid", equalTo(false))
                .body("problems", contains(
                        "the content was altered after signing: its digest does not match the signed digest"));
        Path file = Files.write(Files.createTempFile(files, "tampered", ".eml"), tampered);
        assertNotEquals(0, OpenSsl.exec("cms", "-verify", "-in", file.toString(), "-CAfile",
                files.resolve("root.pem").toString(), "-out", files.resolve("t.out").toString()).exitCode());
    }

    @Test
    void rsaPssOnRequestVerifiesWithOpenssl() throws Exception {
        byte[] signed = sign(TestTokens.service(), "detached", FakeKeystore.ALICE, "RSA_PSS");
        Path file = Files.write(Files.createTempFile(files, "pss", ".eml"), signed);
        OpenSsl.run("cms", "-verify", "-in", file.toString(), "-CAfile", files.resolve("root.pem").toString(), "-out",
                files.resolve("pss.out").toString());
        String printed = OpenSsl.run("cms", "-cmsout", "-print", "-in", file.toString());
        assertTrue(printed.contains("rsassaPss"), printed);
    }

    @Test
    void opensslSignedMessageVerifiesThroughTheApi() throws Exception {
        Path content = Files.writeString(files.resolve("content.txt"), "Content-Type: text/plain\r\n\r\nHi Q4\r\n");
        Path out = files.resolve("openssl-signed.eml");
        OpenSsl.run("cms", "-sign", "-in", content.toString(), "-signer", files.resolve("alice.pem").toString(),
                "-inkey", files.resolve("alice.key.pem").toString(), "-certfile",
                files.resolve("alice.chain.pem").toString(), "-from", FakeKeystore.ALICE, "-out", out.toString());
        verify(TestTokens.service(), Files.readAllBytes(out)).then().statusCode(200).body("valid", equalTo(true))
                .body("format", equalTo("multipart/signed"));
    }

    @Test
    void signingIsForTheOwnMailboxOnlyAndNeedsAKey() {
        given().auth().oauth2(TestTokens.user("bob@example.com")).contentType("message/rfc822")
                .body(message(FakeKeystore.ALICE).getBytes(StandardCharsets.UTF_8)).post("/api/v1/smime/sign")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).contentType("message/rfc822")
                .body(message(FakeKeystore.ALICE).getBytes(StandardCharsets.UTF_8)).post("/api/v1/smime/sign")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.service()).contentType("message/rfc822")
                .body(message("nokey@example.com").getBytes(StandardCharsets.UTF_8)).post("/api/v1/smime/sign")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("no signing key for nokey@example.com"));
        given().auth().oauth2(TestTokens.service()).contentType("message/rfc822").queryParam("scheme", "ECDSA")
                .body(message(FakeKeystore.ALICE).getBytes(StandardCharsets.UTF_8)).post("/api/v1/smime/sign")
                .then().statusCode(422).body("detail", containsString("does not fit"));
        given().auth().oauth2(TestTokens.service()).contentType("message/rfc822").queryParam("mode", "sideways")
                .body(message(FakeKeystore.ALICE).getBytes(StandardCharsets.UTF_8)).post("/api/v1/smime/sign")
                .then().statusCode(400);
    }

    @Test
    void verifyNeedsATokenAndRejectsBadInputAsProblems() {
        given().contentType("message/rfc822").body(message(FakeKeystore.ALICE).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/smime/verify")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.forged()).contentType("message/rfc822")
                .body(message(FakeKeystore.ALICE).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/smime/verify").then().statusCode(401);

        verify(TestTokens.service(), "no headers, no mail".getBytes(StandardCharsets.US_ASCII)).then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not an RFC 5322 message"));
        verify(TestTokens.service(), new byte[0]).then().statusCode(400);
        verify(TestTokens.service(), message(FakeKeystore.ALICE).getBytes(StandardCharsets.US_ASCII)).then()
                .statusCode(200).body("signed", equalTo(false)).body("harvested", equalTo(false))
                .body("problems", hasItem("the message is not signed"));

        byte[] huge = new byte[9 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'a');
        byte[] prefix = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, huge, 0, prefix.length);
        verify(TestTokens.service(), huge).then().statusCode(413);
    }

    private static String message(String from) {
        return Messages.plain(from, "bob@example.org", BODY);
    }

    private static byte[] sign(String token, String mode, String from, String scheme) {
        var request = given().auth().oauth2(token).contentType("message/rfc822").queryParam("mode", mode)
                .body(message(from).getBytes(StandardCharsets.UTF_8));
        if (scheme != null) {
            request = request.queryParam("scheme", scheme);
        }
        Response response = request.post("/api/v1/smime/sign");
        response.then().statusCode(200).contentType("message/rfc822");
        return response.asByteArray();
    }

    private static Response verify(String token, byte[] message) {
        return given().auth().oauth2(token).contentType("message/rfc822").body(message).post("/api/v1/smime/verify");
    }
}
