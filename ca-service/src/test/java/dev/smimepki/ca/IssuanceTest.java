package dev.smimepki.ca;

import static dev.smimepki.ca.CaApi.asAdmin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.EventJson;
import dev.smimepki.events.Topics;
import dev.smimepki.infra.test.TopicReader;
import dev.smimepki.runtime.test.OversizedBodies;
import dev.smimepki.runtime.test.TableRows;
import dev.smimepki.runtime.test.TestTokens;

/** Issuance from a CSR: certificates every client accepts, and refusals that write nothing. */
@QuarkusTest
class IssuanceTest {
    private static final List<String> TABLES = List.of("serial_number", "issued_certificate",
            "issued_certificate_email", "outbox_event", "audit_chain", "crl");

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TempDir
    Path dir;

    static Stream<Arguments> profilesAndKeys() {
        return Stream.of(
                Arguments.of("multipurpose", KeyAlgorithm.RSA_2048, KeyAlgorithm.RSA_2048),
                Arguments.of("strict", KeyAlgorithm.RSA_2048, KeyAlgorithm.RSA_2048),
                Arguments.of("multipurpose", KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256),
                Arguments.of("strict", KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256),
                Arguments.of("multipurpose", KeyAlgorithm.RSA_3072, KeyAlgorithm.EC_P384),
                Arguments.of("strict", KeyAlgorithm.EC_P384, KeyAlgorithm.RSA_2048),
                Arguments.of("multipurpose", KeyAlgorithm.RSA_4096, KeyAlgorithm.EC_P256));
    }

    @ParameterizedTest(name = "{0} {1} under a {2} CA")
    @MethodSource("profilesAndKeys")
    void certificateEveryClientAccepts(String profile, KeyAlgorithm key, KeyAlgorithm caKey) {
        CaApi.Hierarchy ca = CaApi.hierarchy(caKey);
        CaApi.Issued issued = CaApi.issue(ca.issuingId(), KeyPairs.generate(key), profile, null,
                "alice@example.com", "Alice.Work@Example.ORG", "alice@example.net");
        assertEquals(List.of("alice@example.com", "Alice.Work@example.org", "alice@example.net"),
                issued.json().getList("emails"));
        assertEquals(profile, issued.json().getString("profile"));

        Path root = CaApi.write(dir, "root.pem", ca.rootPem());
        Path issuing = CaApi.write(dir, "issuing.pem", ca.issuingPem());
        Path cert = CaApi.write(dir, "cert.pem", issued.certificatePem());
        Path chain = CaApi.write(dir, "chain.pem", issued.chainPem());

        assertVerifies("smimesign", root, chain, cert);
        OpenSsl.Result encrypt = verify("smimeencrypt", root, chain, cert);
        String text = OpenSsl.run("x509", "-in", cert.toString(), "-noout", "-text");
        if (key.isRsa()) {
            assertEquals(0, encrypt.exitCode(), encrypt.output());
            assertTrue(text.contains(profile.equals("multipurpose")
                    ? "Digital Signature, Non Repudiation, Key Encipherment, Data Encipherment"
                    : "Digital Signature, Non Repudiation, Key Encipherment\n"), text);
        } else {
            // DOMAIN.md: OpenSSL's smimeencrypt purpose wants keyEncipherment, which an EC key cannot have;
            // EC encryption certificates carry keyAgreement (RFC 5480, S/MIME BR) instead.
            assertNotEquals(0, encrypt.exitCode(), encrypt.output());
            assertTrue(text.contains("Digital Signature, Key Agreement\n"), text);
        }
        for (String mailbox : List.of("alice@example.com", "Alice.Work@example.org", "alice@example.net")) {
            String check = OpenSsl.run("x509", "-in", cert.toString(), "-noout", "-checkemail", mailbox);
            assertTrue(check.contains("does match certificate"), check);
        }
        assertTrue(text.matches("(?s).*X509v3 Key Usage: critical.*"), text);
        assertTrue(text.matches("(?s).*X509v3 Extended Key Usage: \\s+E-mail Protection\\n.*"), text);
        assertTrue(text.contains("CA:FALSE"), text);
        assertTrue(text.contains(profile.equals("strict") ? "2.23.140.1.5.1.3" : "2.23.140.1.5.1.2"), text);
        assertTrue(text.contains("URI:http://localhost:8081/crl/" + ca.issuingId()), text);
        assertTrue(text.contains("OCSP - URI:http://localhost:8081/ocsp/" + ca.issuingId()), text);
        assertTrue(text.contains("CA Issuers - URI:http://localhost:8081/api/v1/cas/" + ca.issuingId()
                + "/certificate"), text);
        assertTrue(text.contains("email:alice@example.com, email:Alice.Work@example.org, email:alice@example.net"),
                text);
        assertTrue(text.contains("Subject: CN = alice@example.com, emailAddress = alice@example.com"), text);
        assertFalse(text.contains("Mallory") || text.contains("Evil"), "the CSR subject is ignored");
        assertTrue(text.contains("X509v3 Subject Key Identifier") && text.contains("X509v3 Authority Key Identifier"),
                text);

        Certificate certificate = Certificate.fromPem(issued.certificatePem());
        assertTrue(certificate.serial().bitLength() >= 64 && certificate.serial().signum() > 0);
        assertEquals(certificate.serialHex(), issued.serial());
        assertEquals(certificate.fingerprintSha256(), issued.fingerprintSha256());
        assertTrue(Duration.between(certificate.notBefore(), certificate.notAfter()).toDays() <= 825);
        assertEquals(2, CertificateChain.fromPem(issued.chainPem()).size());
    }

    @Test
    void usagesSetTheKeyUsageBits() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.RSA_2048);
        Path root = CaApi.write(dir, "root.pem", ca.rootPem());
        Path chain = CaApi.write(dir, "chain.pem", ca.issuingPem());
        KeyPair rsa = KeyPairs.generate(KeyAlgorithm.RSA_2048);
        KeyPair ec = KeyPairs.generate(KeyAlgorithm.EC_P256);

        Path signing = CaApi.write(dir, "signing.pem",
                CaApi.issue(ca.issuingId(), rsa, "strict", "signing", "sign@example.com").certificatePem());
        assertTrue(text(signing).contains("Digital Signature, Non Repudiation\n"));
        assertVerifies("smimesign", root, chain, signing);
        assertNotEquals(0, verify("smimeencrypt", root, chain, signing).exitCode());

        Path encryption = CaApi.write(dir, "encryption.pem",
                CaApi.issue(ca.issuingId(), rsa, "multipurpose", "encryption", "enc@example.com").certificatePem());
        assertTrue(text(encryption).contains("Key Encipherment, Data Encipherment\n"));
        assertVerifies("smimeencrypt", root, chain, encryption);
        assertNotEquals(0, verify("smimesign", root, chain, encryption).exitCode());

        Path ecEncryption = CaApi.write(dir, "ec-encryption.pem",
                CaApi.issue(ca.issuingId(), ec, "strict", "encryption", "ecenc@example.com").certificatePem());
        assertTrue(text(ecEncryption).matches("(?s).*X509v3 Key Usage: critical\\s+Key Agreement\\n.*"));
    }

    @Test
    void gpgsmImportsTheCertificateForTheMailbox() throws Exception {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.RSA_2048);
        CaApi.Issued issued = CaApi.issue(ca.issuingId(), KeyPairs.generate(KeyAlgorithm.RSA_2048), null, null,
                "gpgsm-user@example.com");
        Path home = dir.resolve("gnupg");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home,
                PosixFilePermissions.fromString("rwx------"));
        Path bundle = CaApi.write(dir, "bundle.pem", ca.rootPem() + ca.issuingPem() + issued.certificatePem());
        // Trust the root the way an administrator does (gpgsm's trustlist.txt: SHA-1 fingerprint and flag S).
        String rootSha1 = OpenSsl.run("x509", "-in", CaApi.write(dir, "root.pem", ca.rootPem()).toString(),
                "-noout", "-fingerprint", "-sha1").replaceAll("(?s).*=", "").strip();
        CaApi.write(home, "trustlist.txt", rootSha1 + " S relax\n");
        CaApi.write(home, "gpgsm.conf", "disable-crl-checks\n");

        String listed;
        try {
            Gpgsm.run(home, "--batch", "--import", bundle.toString());
            listed = Gpgsm.run(home, "--batch", "--with-validation", "--list-keys", "gpgsm-user@example.com");
        } finally {
            Gpgsm.stopAgent(home);
        }
        assertTrue(listed.contains("aka: gpgsm-user@example.com"), listed);
        assertTrue(listed.contains("[certificate is good]"), listed);
        assertTrue(listed.contains(issued.serial().toUpperCase()), listed);
    }

    @Test
    void issuedEventOnTheBrokerOnce() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        CaApi.Issued issued = CaApi.issue(ca.issuingId(), KeyPairs.generate(KeyAlgorithm.EC_P256), null, null,
                "events@example.com");
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrapServers, Topics.CERTIFICATES,
                r -> issued.fingerprintSha256().equals(r.key()), 1, Duration.ofSeconds(30));
        assertEquals(1, records.size());
        assertEquals("pki.certificate.issued.v1", header(records.get(0), CloudEventHeaders.TYPE));
        CertificateIssued event = EventJson.read(records.get(0).value(), CertificateIssued.class);
        assertEquals(issued.serial(), event.serial());
        assertEquals(ca.issuingId(), event.caId());
        assertEquals(List.of("events@example.com"), event.emails());
        assertEquals(Certificate.fromPem(issued.certificatePem()), Certificate.fromPem(event.certificatePem()));
        assertEquals(issued.chainPem(), event.chainPem());
    }

    @Test
    void searchAndShow() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        CaApi.Issued issued = CaApi.issue(ca.issuingId(), KeyPairs.generate(KeyAlgorithm.EC_P256), null,
                "signing", "Search.Me@Example.COM");
        asAdmin().queryParam("email", "Search.Me@example.com").get("/api/v1/certificates").then().statusCode(200)
                .body("items.serial", contains(issued.serial()))
                .body("total", equalTo(1));
        asAdmin().queryParam("email", "search.me@example.com").get("/api/v1/certificates").then().statusCode(200)
                .body("items", hasSize(0));
        asAdmin().queryParam("email", "Search.Me@example.com").queryParam("status", "revoked")
                .get("/api/v1/certificates").then().statusCode(200).body("items", hasSize(0));
        asAdmin().queryParam("status", "valid").queryParam("size", 100).get("/api/v1/certificates").then()
                .statusCode(200).body("items.serial", hasItem(issued.serial()));
        asAdmin().queryParam("status", "bogus").get("/api/v1/certificates").then().statusCode(400)
                .contentType("application/problem+json");
        asAdmin().get("/api/v1/certificates/" + issued.serial()).then().statusCode(200)
                .body("status", equalTo("valid"))
                .body("usage", equalTo("signing"))
                .body("keyAlgorithm", equalTo("EC_P256"))
                .body("emails", contains("Search.Me@example.com"));
        asAdmin().get("/api/v1/certificates/" + issued.serial().toUpperCase()).then().statusCode(200);
        asAdmin().get("/api/v1/certificates/abc123").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void refusalsAreDocumentedProblemsAndWriteNothing() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.RSA_2048);
        KeyPair good = KeyPairs.generate(KeyAlgorithm.EC_P256);
        KeyPair other = KeyPairs.generate(KeyAlgorithm.EC_P256);

        refused(400, "csr-signature-invalid", () -> post(request(ca.issuingId(), CaApi.forgedCsr(good, other))))
                .body("detail", containsString("proof of possession"));
        refused(422, "policy-violation",
                () -> post(request(ca.issuingId(), CaApi.csr(TestPki.rsaKeyPair(1024, BigInteger.valueOf(65537))))))
                .body("detail", containsString("1024 bits is below the minimum of 2048"));
        refused(422, "policy-violation",
                () -> post(request(ca.issuingId(), CaApi.csr(TestPki.rsaKeyPair(2048, BigInteger.valueOf(3))))))
                .body("detail", containsString("exponent 3"));
        refused(422, "policy-violation", () -> post(request(ca.issuingId(), CaApi.csr(TestPki.ecKeyPair("secp256k1")))))
                .body("detail", containsString("secp256k1"));
        refused(400, "invalid-request", () -> asAdmin().contentType(ContentType.JSON).post("/api/v1/certificates")
                .then());
        refused(400, "malformed-json", () -> asAdmin().contentType(ContentType.JSON).body("{not json")
                .post("/api/v1/certificates").then()).body("detail", containsString("Unexpected character ('n'"));
        refused(400, "malformed-json", () -> asAdmin().contentType(ContentType.JSON).body("{\"csr\": 5, \"emails\":")
                .post("/api/v1/certificates").then());
        Map<String, Long> beforeChunked = counts();
        HttpResponse<String> tooLarge = OversizedBodies.postChunked("/api/v1/certificates", TestTokens.admin(),
                "application/json", ("{\"csr\":\"" + "a".repeat(300_000) + "\"}").getBytes(StandardCharsets.US_ASCII));
        assertEquals(413, tooLarge.statusCode());
        assertTrue(tooLarge.body().contains("\"code\":\"body-too-large\"") && tooLarge.body().contains(
                "accepts at most 65536"), tooLarge.body());
        HttpResponse<String> chunkedJson = OversizedBodies.postChunked("/api/v1/certificates", TestTokens.admin(),
                "application/json", "{not json".getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, chunkedJson.statusCode());
        assertTrue(chunkedJson.body().contains("\"code\":\"malformed-json\""), "read whole and parsed: "
                + chunkedJson.body());
        assertEquals(beforeChunked, counts(), "nothing written for a refused chunked request");
        refused(400, "invalid-request", () -> post(Map.of("csr", CaApi.csr(good))))
                .body("errors.field", hasItem("emails"))
                .body("errors.field", hasItem("caId"));
        refused(400, "csr-malformed", () -> post(request(ca.issuingId(), "-----BEGIN CERTIFICATE REQUEST-----\n"
                + "AAAA\n-----END CERTIFICATE REQUEST-----\n")));
        refused(400, "csr-malformed", () -> post(request(ca.issuingId(), "hello")));
        Map<String, Object> badEmail = request(ca.issuingId(), CaApi.csr(good));
        badEmail.put("emails", List.of("ok@example.com", "not-an-address"));
        refused(400, "invalid-email", () -> post(badEmail)).body("errors.field", contains("emails[1]"));
        refused(404, "ca-not-found", () -> post(request("00000000-0000-4000-8000-000000000000", CaApi.csr(good))));
        Map<String, Object> noCsr = request(ca.issuingId(), null);
        noCsr.remove("csr");
        refused(503, "keystore-unavailable", () -> post(noCsr)).body("detail", containsString("keystore-service"));
        Map<String, Object> tooLong = request(ca.issuingId(), CaApi.csr(good));
        tooLong.put("validityDays", 1000);
        refused(422, "certificate-lint-failed", () -> post(tooLong))
                .body("errors.check", contains("validity.maximum"));
        Map<String, Object> badProfile = request(ca.issuingId(), CaApi.csr(good));
        badProfile.put("profile", "lenient");
        refused(400, "invalid-profile", () -> post(badProfile)).body("detail", containsString("multipurpose"));
    }

    private ValidatableResponse refused(int status, String code, Supplier<ValidatableResponse> call) {
        Map<String, Long> before = counts();
        ValidatableResponse response = call.get().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body(not(containsString("Exception")));
        if (code != null) {
            response.body("code", equalTo(code));
        }
        assertEquals(before, counts(), "nothing written for a refused request (" + code + ")");
        return response;
    }

    private static Map<String, Object> request(String caId, String csr) {
        Map<String, Object> body = new HashMap<>();
        body.put("caId", caId);
        body.put("emails", List.of("refused@example.com"));
        body.put("csr", csr);
        return body;
    }

    private static ValidatableResponse post(Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/certificates").then();
    }

    private Map<String, Long> counts() {
        return TableRows.counts(dataSource, TABLES);
    }

    private static void assertVerifies(String purpose, Path root, Path chain, Path cert) {
        OpenSsl.Result result = verify(purpose, root, chain, cert);
        assertEquals(0, result.exitCode(), purpose + ": " + result.output());
        assertTrue(result.output().contains(": OK"), result.output());
    }

    private static OpenSsl.Result verify(String purpose, Path root, Path chain, Path cert) {
        return OpenSsl.exec("verify", "-x509_strict", "-purpose", purpose, "-CAfile", root.toString(), "-untrusted",
                chain.toString(), cert.toString());
    }

    private static String text(Path cert) {
        return OpenSsl.run("x509", "-in", cert.toString(), "-noout", "-text");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
