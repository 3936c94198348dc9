package dev.smimepki.crypto;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.runtime.test.TestTokens;

/**
 * Encrypt, decrypt and sign-and-encrypt over HTTP, with recipients' certificates from a directory-service stand-in
 * and keys in a keystore-service stand-in; the output checked with openssl and each recipient's key.
 */
@QuarkusTest
class EncryptionEndpointsTest {
    private static final String BODY = "Board minutes, Q4: strictly confidential.\n";

    @ConfigProperty(name = FakeKeystore.FILES)
    Path files;

    @Test
    void encryptsToEveryRecipientAndTheSenderAndEachOpensIt() throws Exception {
        String message = Messages.plain(FakeKeystore.ALICE, FakeKeystore.ERIN, BODY)
                .replace("Subject:", "Bcc: " + FakeKeystore.GINA + "\nSubject:");
        byte[] encrypted = post("/api/v1/smime/encrypt", TestTokens.user("someone@example.net"), message);
        String text = new String(encrypted, StandardCharsets.US_ASCII);
        assertTrue(text.contains("smime-type=enveloped-data"), "Gina announced GCM, the others did not: " + text);
        assertFalse(text.contains("Bcc:"), "Bcc is removed");
        assertTrue(text.contains("To: " + FakeKeystore.ERIN + "\r\n"), text);
        assertFalse(text.contains("strictly confidential"));

        Path file = Files.write(Files.createTempFile(files, "encrypted", ".eml"), encrypted);
        for (String name : new String[]{"alice", "erin", "gina"}) {
            Path out = files.resolve(name + ".decrypted");
            OpenSsl.run("cms", "-decrypt", "-in", file.toString(), "-recip", files.resolve(name + ".pem").toString(),
                    "-inkey", files.resolve(name + ".key.pem").toString(), "-binary", "-out", out.toString());
            assertTrue(Files.readString(out).endsWith(BODY.replace("\n", "\r\n")), name + " opens it with openssl");
        }

        Response erin = decrypt(TestTokens.user(FakeKeystore.ERIN), encrypted);
        erin.then().statusCode(200).contentType("message/rfc822").header("X-Smime-Signed", "false");
        String opened = erin.asString();
        assertTrue(opened.startsWith("From: Sender <" + FakeKeystore.ALICE + ">\r\nTo: " + FakeKeystore.ERIN),
                opened);
        assertTrue(opened.contains("Content-Type: text/plain; charset=utf-8\r\n"), opened);
        assertTrue(opened.endsWith(BODY.replace("\n", "\r\n")), opened);
        decrypt(TestTokens.service(), encrypted).then().statusCode(200);
        // bob holds no key of this message's recipients at all; a user cannot use another mailbox's key
        decrypt(TestTokens.user("bob@example.com"), encrypted).then().statusCode(403)
                .contentType("application/problem+json");
        decrypt(TestTokens.admin(), encrypted).then().statusCode(403);
    }

    @Test
    void refusesWhenRecipientsHaveNoUsableCertificateListingEach() {
        String message = Messages.plain(FakeKeystore.ALICE,
                FakeKeystore.ERIN + ", " + FakeKeystore.REVOKED + ", " + FakeKeystore.NOBODY, BODY);
        given().auth().oauth2(TestTokens.service()).contentType("message/rfc822")
                .body(message.getBytes(StandardCharsets.UTF_8)).post("/api/v1/smime/encrypt")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("recipients-without-certificate"))
                .body("errors.field", containsInAnyOrder(FakeKeystore.REVOKED, FakeKeystore.NOBODY))
                .body("errors.find { it.field == '" + FakeKeystore.REVOKED + "' }.message",
                        containsString("revoked (keyCompromise)"))
                .body("errors.find { it.field == '" + FakeKeystore.NOBODY + "' }.message",
                        equalTo("no certificate is known for this address"))
                .body("detail", containsString("2 of 4 recipients"));

        given().auth().oauth2(TestTokens.service()).contentType("message/rfc822")
                .queryParam("recipient", FakeKeystore.EXPIRED)
                .body(message.getBytes(StandardCharsets.UTF_8)).post("/api/v1/smime/encrypt")
                .then().statusCode(422).body("errors.field", containsInAnyOrder(FakeKeystore.EXPIRED))
                .body("errors[0].message", containsString("expired on"));
    }

    @Test
    void gcmWhenEveryoneAnnouncedItOpensWithOpensslAndHereAndATamperedCopyReleasesNothing() throws Exception {
        byte[] encrypted = post("/api/v1/smime/encrypt", TestTokens.user(FakeKeystore.GINA),
                Messages.plain(FakeKeystore.GINA, FakeKeystore.GUS, BODY));
        assertTrue(new String(encrypted, StandardCharsets.US_ASCII).contains("smime-type=authEnveloped-data"));
        Path file = Files.write(Files.createTempFile(files, "gcm", ".eml"), encrypted);
        Path out = files.resolve("gus.decrypted");
        OpenSsl.run("cms", "-decrypt", "-in", file.toString(), "-recip", files.resolve("gus.pem").toString(), "-inkey",
                files.resolve("gus.key.pem").toString(), "-binary", "-out", out.toString());
        assertTrue(Files.readString(out).endsWith(BODY.replace("\n", "\r\n")));

        decrypt(TestTokens.user(FakeKeystore.GUS), encrypted).then().statusCode(200)
                .header("X-Smime-Content-Encryption", "2.16.840.1.101.3.4.1.46")
                .body(containsString("strictly confidential"));

        String text = new String(encrypted, StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        byte[] cms = Base64.getMimeDecoder().decode(text.substring(bodyStart).strip());
        cms[cms.length - 40] ^= 0x01; // inside the last ciphertext block, ahead of the 16-byte tag
        byte[] tampered = (text.substring(0, bodyStart) + Base64.getMimeEncoder().encodeToString(cms) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Response refused = decrypt(TestTokens.user(FakeKeystore.GUS), tampered);
        refused.then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("authentication-failed"));
        assertFalse(refused.asString().contains("confidential"));
    }

    @Test
    void signAndEncryptOpensToAVerifiedSignedMessage() {
        byte[] sealed = post("/api/v1/smime/sign-and-encrypt", TestTokens.user(FakeKeystore.ERIN),
                Messages.plain(FakeKeystore.ERIN, FakeKeystore.ALICE, BODY));
        assertTrue(new String(sealed, StandardCharsets.US_ASCII).contains("smime-type=enveloped-data"));
        Response opened = decrypt(TestTokens.user(FakeKeystore.ALICE), sealed);
        opened.then().statusCode(200).header("X-Smime-Signed", "true").header("X-Smime-Signature-Valid", "true")
                .body(containsString("multipart/signed"));
        given().auth().oauth2(TestTokens.service()).contentType("message/rfc822").body(opened.asByteArray())
                .post("/api/v1/smime/verify").then().statusCode(200).body("valid", equalTo(true))
                .body("signer.email", equalTo(FakeKeystore.ERIN));

        given().auth().oauth2(TestTokens.user(FakeKeystore.ALICE)).contentType("message/rfc822")
                .body(Messages.plain(FakeKeystore.ERIN, FakeKeystore.ALICE, BODY).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/smime/sign-and-encrypt").then().statusCode(403);
    }

    /**
     * A message within the size limit (8 MiB here) is signed and encrypted although its opaque signed form is a third
     * larger than the limit: the signed message is the service's own, not a request body (it was re-spooled as one
     * and refused 413 message-too-large). Opened with openssl: sealed, it is too large for this test's decrypt.
     */
    @Test
    void aMessageWithinTheLimitIsSignedOpaqueAndEncryptedThoughItsSignedFormIsLarger() throws Exception {
        String line = "Quarterly figures, line after line, for the board.\n";
        String body = line.repeat(7 * 1024 * 1024 / line.length());
        Response sealed = given().auth().oauth2(TestTokens.user(FakeKeystore.ERIN)).contentType("message/rfc822")
                .queryParam("mode", "opaque")
                .body(Messages.plain(FakeKeystore.ERIN, FakeKeystore.ALICE, body).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/smime/sign-and-encrypt");
        assertEquals(200, sealed.statusCode(), () -> sealed.asString().substring(0, 500));

        Path file = Files.write(Files.createTempFile(files, "sealed", ".eml"), sealed.asByteArray());
        Path signed = files.resolve("sealed.signed.eml");
        OpenSsl.run("cms", "-decrypt", "-in", file.toString(), "-recip", files.resolve("alice.pem").toString(),
                "-inkey", files.resolve("alice.key.pem").toString(), "-binary", "-out", signed.toString());
        assertTrue(Files.size(signed) > 8 * 1024 * 1024, "the signed message is over the request limit");
        assertTrue(Files.readString(signed, StandardCharsets.US_ASCII).contains("smime-type=signed-data"));
        Path content = files.resolve("sealed.content");
        OpenSsl.run("cms", "-verify", "-in", signed.toString(), "-noverify", "-binary", "-out", content.toString());
        assertTrue(Files.readString(content).endsWith(body.replace("\n", "\r\n")), "openssl verifies the signature");
    }

    @Test
    void decryptRefusesWhatItCannotOpen() throws Exception {
        decrypt(TestTokens.service(), Messages.plain(FakeKeystore.ALICE, FakeKeystore.ERIN, BODY)
                .getBytes(StandardCharsets.UTF_8)).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("not-encrypted"));

        Path content = Files.writeString(files.resolve("plain.txt"), "Content-Type: text/plain\r\n\r\nhello\r\n");
        Path stranger = files.resolve("stranger.eml");
        // encrypted to a certificate keystore-service holds no key for: the root CA's
        OpenSsl.run("cms", "-encrypt", "-in", content.toString(), "-out", stranger.toString(), "-aes-256-cbc",
                files.resolve("root.pem").toString());
        decrypt(TestTokens.service(), Files.readAllBytes(stranger)).then().statusCode(422)
                .body("code", equalTo("no-key-for-message"));

        given().auth().oauth2(TestTokens.service()).contentType("message/rfc822")
                .body("From: a@example.com\r\nSubject: nobody\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII))
                .post("/api/v1/smime/encrypt").then().statusCode(400).body("code", equalTo("no-recipients"));
        given().contentType("message/rfc822").body(new byte[]{'x'}).post("/api/v1/smime/decrypt").then()
                .statusCode(401);
    }

    private static byte[] post(String path, String token, String message) {
        Response response = given().auth().oauth2(token).contentType("message/rfc822")
                .body(message.getBytes(StandardCharsets.UTF_8)).post(path);
        response.then().statusCode(200).contentType("message/rfc822");
        return response.asByteArray();
    }

    private static Response decrypt(String token, byte[] message) {
        return given().auth().oauth2(token).contentType("message/rfc822").body(message).post("/api/v1/smime/decrypt");
    }
}
