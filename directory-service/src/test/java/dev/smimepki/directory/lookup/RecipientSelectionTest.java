package dev.smimepki.directory.lookup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;
import dev.smimepki.directory.store.CertificateStore;
import dev.smimepki.events.CertificateRevoked;

/** The selector over HTTP: the classic wrong-certificate bug, the reasons given, /certificate and SMIMEA. */
@QuarkusTest
class RecipientSelectionTest {
    @Inject
    CertificateStore store;

    @TempDir
    Path dir;

    @Test
    void ofExpiredRevokedSigningOnlyAndDualThePreferredIsDualAndTheOthersAreExplained() {
        String address = "four-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Instant now = Instant.now();
        TestPki pki = TestPki.shared();
        EndEntity expired = pki.issue(EndEntitySpec.forEmails(address).expired());
        EndEntity revoked = pki.issue(EndEntitySpec.forEmails(address)
                .validity(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(300))));
        EndEntity signingOnly = pki.issue(EndEntitySpec.forEmails(address)
                .keyUsages(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.NON_REPUDIATION)
                .validity(now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofDays(300))));
        EndEntity dual = pki.issue(EndEntitySpec.forEmails(address)
                .validity(now.minus(Duration.ofHours(2)), now.plus(Duration.ofDays(300))));
        for (EndEntity entity : List.of(expired, revoked, signingOnly, dual)) {
            QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(entity), now));
        }
        QuarkusTransaction.requiringNew().run(() -> store.recordRevoked(new CertificateRevoked(
                revoked.certificate().fingerprintSha256(), revoked.certificate().serialHex(), "ca", "keyCompromise",
                now)));

        JsonPath answer = given().get("/api/v1/directory/" + address).then().statusCode(200)
                .body("email", equalTo(address)).body("certificates", hasSize(4)).extract().jsonPath();
        String dualFingerprint = dual.certificate().fingerprintSha256();
        assertEquals(dualFingerprint, answer.getString("preferred"));
        assertEquals(dualFingerprint, answer.getString("certificates[0].fingerprintSha256"), "preferred first");
        assertEquals(List.of(), answer.getList("certificates[0].rejectedBecause"));
        assertEquals(List.of("digitalSignature", "keyEncipherment"), answer.getList("certificates[0].keyUsage"));
        assertEquals("valid", answer.getString("certificates[0].status"));
        assertEquals("issued", answer.getString("certificates[0].source"));
        assertEquals("trusted", answer.getString("certificates[0].trust"));

        Map<String, Object> ofExpired = byFingerprint(answer, expired);
        assertEquals("expired", ofExpired.get("status"));
        assertReason(ofExpired, "expired on " + expired.certificate().notAfter());
        Map<String, Object> ofRevoked = byFingerprint(answer, revoked);
        assertEquals("revoked", ofRevoked.get("status"));
        assertEquals("keyCompromise", ofRevoked.get("revocationReason"));
        assertReason(ofRevoked, "revoked (keyCompromise)");
        Map<String, Object> ofSigning = byFingerprint(answer, signingOnly);
        assertEquals("valid", ofSigning.get("status"));
        assertReason(ofSigning, "keyUsage lacks keyEncipherment");
        for (Map<String, Object> other : List.of(ofExpired, ofRevoked, ofSigning)) {
            assertEquals(false, other.get("usable"));
            assertEquals(false, other.get("preferred"));
        }

        String chain = given().get("/api/v1/directory/" + address + "/certificate").then().statusCode(200)
                .contentType("application/pem-certificate-chain").extract().asString();
        assertEquals(dual.certificate().pem() + dual.chain().pem(), chain);
        TestPki.PemFiles ca = pki.writeTo(dir.resolve("ca"));
        Path served = write("served.pem", dual.certificate().pem());
        OpenSsl.Result verified = OpenSsl.exec("verify", "-purpose", "smimeencrypt", "-CAfile", ca.root().toString(),
                "-untrusted", ca.issuingCa().toString(), served.toString());
        assertEquals(0, verified.exitCode(), verified.output());
    }

    @Test
    void noUsableCertificateIs404WithTheReasonAndUnknownAddressSaysSo() {
        String address = "none-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        Instant now = Instant.now();
        EndEntity expired = TestPki.shared().issue(EndEntitySpec.forEmails(address).expired());
        EndEntity signing = TestPki.shared().issue(EndEntitySpec.forEmails(address)
                .keyUsages(KeyUsage.DIGITAL_SIGNATURE));
        for (EndEntity entity : List.of(expired, signing)) {
            QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(entity), now));
        }
        given().get("/api/v1/directory/" + address + "/certificate").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("no-usable-certificate"))
                .body("detail", containsString("expired on"))
                .body("detail", containsString("keyUsage lacks keyEncipherment"));
        given().get("/api/v1/directory/" + address).then().statusCode(200).body("preferred", nullValue())
                .body("reason", containsString("none of the 2 certificate(s)"));
        given().get("/api/v1/directory/nobody@example.org/certificate").then().statusCode(404)
                .body("detail", containsString("no certificate is known for this address"));
        given().get("/api/v1/directory/nobody@example.org").then().statusCode(200)
                .body("certificates", hasSize(0)).body("preferred", nullValue());
        given().get("/api/v1/directory/not-an-address").then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/v1/directory/a@b@c/certificate").then().statusCode(400);
    }

    @Test
    void domainIsCaseInsensitiveAndInternationalisedDomainsMatchTheirAsciiForm() {
        String local = "Idn.User-" + UUID.randomUUID().toString().substring(0, 6);
        EndEntity entity = TestPki.shared().issue(local + "@xn--bcher-kva.example");
        QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(entity), Instant.now()));
        String fingerprint = entity.certificate().fingerprintSha256();
        given().get("/api/v1/directory/" + local + "@XN--BCHER-KVA.Example").then().statusCode(200)
                .body("preferred", equalTo(fingerprint)).body("email", equalTo(local + "@xn--bcher-kva.example"));
        given().get("/api/v1/directory/" + local + "@Bücher.example").then().statusCode(200)
                .body("preferred", equalTo(fingerprint));
        given().get("/api/v1/directory/" + local.toLowerCase() + "@xn--bcher-kva.example").then().statusCode(200)
                .body("certificates", hasSize(0));
    }

    @Test
    void smimeaRecordPerRfc8162() {
        String local = "smimea-" + UUID.randomUUID().toString().substring(0, 8);
        EndEntity entity = TestPki.shared().issue(local + "@example.net");
        QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(entity), Instant.now()));
        String owner = HexFormat.of().formatHex(SmimeaRecord.sha256(local.getBytes(StandardCharsets.UTF_8)), 0, 28)
                + "._smimecert.example.net.";
        String der = HexFormat.of().formatHex(entity.certificate().der());
        given().get("/api/v1/directory/" + local + "@EXAMPLE.net/smimea").then().statusCode(200)
                .body("ownerName", equalTo(owner)).body("usage", equalTo(3)).body("selector", equalTo(0))
                .body("matchingType", equalTo(0)).body("data", equalTo(der))
                .body("record", equalTo(owner + " IN SMIMEA 3 0 0 " + der));
        given().get("/api/v1/directory/" + local + "@example.net/smimea?matchingType=1").then().statusCode(200)
                .body("data", equalTo(entity.certificate().fingerprintSha256()));
        given().get("/api/v1/directory/" + local + "@example.net/smimea?matchingType=2").then().statusCode(400);
        given().get("/api/v1/directory/nobody@example.net/smimea").then().statusCode(404);
    }

    @Test
    void ownerNameHashMatchesThePublishedExampleOfRfc7929() {
        // RFC 7929 (OPENPGPKEY) section 3 hashes the local part exactly as RFC 8162 section 3 does: "hugh" ->
        assertEquals("c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6",
                HexFormat.of().formatHex(SmimeaRecord.sha256("hugh".getBytes(StandardCharsets.UTF_8)), 0, 28));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> byFingerprint(JsonPath answer, EndEntity entity) {
        List<Map<String, Object>> certificates = answer.getList("certificates");
        return certificates.stream()
                .filter(c -> entity.certificate().fingerprintSha256().equals(c.get("fingerprintSha256")))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static void assertReason(Map<String, Object> certificate, String expected) {
        List<String> reasons = (List<String>) certificate.get("rejectedBecause");
        assertTrue(reasons.stream().anyMatch(r -> r.contains(expected)), expected + " in " + reasons);
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
