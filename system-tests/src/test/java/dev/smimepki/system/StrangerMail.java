package dev.smimepki.system;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;

/**
 * Correspondents in another organisation, whose certificates the platform never issued, each with one message they
 * signed with openssl. An admin has uploaded their organisation's CA chain to the directory as trust anchors, so a
 * harvested stranger certificate is stored as trusted: verifying one of these messages is how crypto-service harvests
 * a certificate into the directory.
 */
final class StrangerMail {
    private final List<Stranger> strangers;

    /** One correspondent: the mailbox, the SHA-256 fingerprint of their certificate, and their signed message. */
    record Stranger(String mailbox, String fingerprint, Path signedMessage) {
    }

    private StrangerMail(List<Stranger> strangers) {
        this.strangers = List.copyOf(strangers);
    }

    /** {@code count} strangers of a fresh organisation whose chain the directory takes as anchors. */
    static StrangerMail create(Platform platform, Path dir, String label, int count) {
        TestPki organisation = TestPki.create();
        given().auth().oauth2(platform.adminToken()).contentType("application/x-pem-file")
                .body(organisation.chain().pem().getBytes(StandardCharsets.US_ASCII))
                .post(platform.url("directory-service") + "/api/v1/directory/certificates").then().statusCode(201);
        List<Stranger> strangers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String mailbox = label + "-stranger" + i + "@elsewhere.example.org";
            EndEntity entity = organisation.issue(mailbox);
            EndEntity.PemFiles files = entity.writeTo(dir.resolve("strangers"), label + i);
            Path message = dir.resolve("strangers").resolve(label + i + ".eml");
            Path signed = dir.resolve("strangers").resolve(label + i + "-signed.eml");
            try {
                Files.writeString(message, "From: " + mailbox + "\r\nTo: someone@example.com\r\nSubject: hello "
                        + i + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHello from"
                        + " elsewhere.\r\n", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            OpenSsl.run("cms", "-sign", "-in", message.toString(), "-signer", files.certificate().toString(), "-inkey",
                    files.privateKey().toString(), "-certfile", files.chain().toString(), "-out", signed.toString());
            strangers.add(new Stranger(mailbox, entity.certificate().fingerprintSha256(), signed));
        }
        return new StrangerMail(strangers);
    }

    List<Stranger> all() {
        return strangers;
    }

    int size() {
        return strangers.size();
    }

    Stranger get(int index) {
        return strangers.get(index);
    }
}
