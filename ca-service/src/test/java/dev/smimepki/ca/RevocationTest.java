package dev.smimepki.ca;

import static dev.smimepki.ca.CaApi.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.EventJson;
import dev.smimepki.events.Topics;
import dev.smimepki.infra.test.TopicReader;
import dev.smimepki.runtime.test.TableRows;

/** Revocation as every relying party sees it: the API, the CRL, OCSP and the event, checked with openssl. */
@QuarkusTest
class RevocationTest {
    private static final Pattern CRL_NUMBER = Pattern.compile("X509v3 CRL Number:\\s*\\n\\s*(\\d+)");
    private static final List<String> TABLES = List.of("issued_certificate", "outbox_event", "audit_chain", "crl");

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"RSA_2048", "EC_P384"})
    void revocationReachesCrlOcspAndBroker(KeyAlgorithm caKey) {
        CaApi.Hierarchy ca = CaApi.hierarchy(caKey);
        CaApi.Issued issued = CaApi.issue(ca.issuingId(), KeyPairs.generate(KeyAlgorithm.RSA_2048), null, null,
                "revoke-me@example.com");
        Path root = CaApi.write(dir, "root.pem", ca.rootPem());
        Path issuing = CaApi.write(dir, "issuing.pem", ca.issuingPem());
        Path chain = CaApi.write(dir, "chain.pem", ca.issuingPem() + ca.rootPem());
        Path cert = CaApi.write(dir, "cert.pem", issued.certificatePem());

        String before = ocsp(root, issuing, cert, ca.issuingId());
        assertTrue(before.contains(cert + ": good"), before);
        Path crlBefore = crl(ca.issuingId(), "before.pem");
        long numberBefore = crlNumber(crlBefore);
        assertVerifies(OpenSsl.exec("verify", "-crl_check", "-CAfile", root.toString(), "-untrusted",
                issuing.toString(), "-CRLfile", crlBefore.toString(), cert.toString()));

        asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "keyCompromise"))
                .post("/api/v1/certificates/" + issued.serial() + "/revoke").then().statusCode(200)
                .body("status", equalTo("revoked")).body("revocationReason", equalTo("keyCompromise"));
        asAdmin().get("/api/v1/certificates/" + issued.serial()).then().statusCode(200)
                .body("status", equalTo("revoked")).body("revocationReason", equalTo("keyCompromise"));

        Path crlAfter = crl(ca.issuingId(), "after.pem");
        String crlCheck = OpenSsl.run("crl", "-in", crlAfter.toString(), "-CAfile", chain.toString(), "-noout");
        assertTrue(crlCheck.contains("verify OK"), crlCheck);
        String crlText = OpenSsl.run("crl", "-in", crlAfter.toString(), "-noout", "-text");
        assertTrue(crlText.contains("Serial Number: " + issued.serial().toUpperCase()), crlText);
        assertTrue(crlText.matches("(?s).*Serial Number: " + issued.serial().toUpperCase()
                + "\\s+Revocation Date: [^\\n]+\\n\\s+CRL entry extensions:\\s+X509v3 CRL Reason Code:\\s+"
                + "Key Compromise.*"), crlText);
        assertTrue(crlText.contains("X509v3 Authority Key Identifier"), crlText);
        assertTrue(crlNumber(crlAfter) > numberBefore, "CRL number increases");
        assertCrlValidForSevenDays(crlText);

        OpenSsl.Result rejected = OpenSsl.exec("verify", "-crl_check", "-CAfile", root.toString(), "-untrusted",
                issuing.toString(), "-CRLfile", crlAfter.toString(), cert.toString());
        assertNotEquals(0, rejected.exitCode(), rejected.output());
        assertTrue(rejected.output().contains("certificate revoked"), rejected.output());

        String after = ocsp(root, issuing, cert, ca.issuingId());
        assertTrue(after.contains(cert + ": revoked"), after);
        assertTrue(after.contains("Reason: keyCompromise"), after);
        assertTrue(after.contains("Revocation Time"), after);

        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrapServers, Topics.CERTIFICATES,
                r -> issued.fingerprintSha256().equals(r.key()) && "pki.certificate.revoked.v1".equals(
                        new String(r.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8)),
                1, Duration.ofSeconds(30));
        assertEquals(1, records.size());
        CertificateRevoked event = EventJson.read(records.get(0).value(), CertificateRevoked.class);
        assertEquals(issued.serial(), event.serial());
        assertEquals(ca.issuingId(), event.caId());
        assertEquals("keyCompromise", event.reason());
    }

    @Test
    void secondRevocationUnknownReasonAndUnknownSerialAreProblemsAndWriteNothing() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        CaApi.Issued issued = CaApi.issue(ca.issuingId(), KeyPairs.generate(KeyAlgorithm.EC_P256), null, null,
                "twice@example.com");
        String revoke = "/api/v1/certificates/" + issued.serial() + "/revoke";

        Map<String, Long> beforeBadReason = counts();
        asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "lostIt")).post(revoke).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid-reason"))
                .body("detail", containsString("keyCompromise")).body("detail", containsString("superseded"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "removeFromCRL")).post(revoke).then()
                .statusCode(400).body("code", equalTo("invalid-reason"));
        asAdmin().contentType(ContentType.JSON).body("{}").post(revoke).then().statusCode(400)
                .contentType("application/problem+json");
        assertEquals(beforeBadReason, counts());

        asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "superseded")).post(revoke).then()
                .statusCode(200);
        Map<String, Long> afterFirst = counts();
        asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "keyCompromise")).post(revoke).then()
                .statusCode(409).contentType("application/problem+json").body("code", equalTo("already-revoked"));
        assertEquals(afterFirst, counts(), "a second revocation writes nothing");
        asAdmin().get("/api/v1/certificates/" + issued.serial()).then().statusCode(200)
                .body("revocationReason", equalTo("superseded"));

        asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "superseded"))
                .post("/api/v1/certificates/123456789abcdef/revoke").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("certificate-not-found"));
        assertEquals(afterFirst, counts());
    }

    @Test
    void ocspGetFormUnknownSerialNonceAndMalformedRequests() throws Exception {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        CaApi.Issued issued = CaApi.issue(ca.issuingId(), KeyPairs.generate(KeyAlgorithm.EC_P256), null, null,
                "ocsp-get@example.com");
        asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "cessationOfOperation"))
                .post("/api/v1/certificates/" + issued.serial() + "/revoke").then().statusCode(200);
        Certificate issuingCa = Certificate.fromPem(ca.issuingPem());
        X509CertificateHolder issuer = new X509CertificateHolder(issuingCa.der());

        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        byte[] request = new OCSPReqBuilder()
                .addRequest(certificateId(issuer, new BigInteger(issued.serial(), 16)))
                .addRequest(certificateId(issuer, BigInteger.valueOf(424242)))
                .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(nonce))))
                .build().getEncoded();
        String base64 = URLEncoder.encode(Base64.getEncoder().encodeToString(request), StandardCharsets.US_ASCII);
        byte[] answer = asAdmin().urlEncodingEnabled(false).get("/ocsp/" + ca.issuingId() + "/" + base64).then()
                .statusCode(200).contentType("application/ocsp-response").extract().asByteArray();

        OCSPResp response = new OCSPResp(answer);
        assertEquals(OCSPResp.SUCCESSFUL, response.getStatus());
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.provider())
                .build(issuingCa.publicKey())));
        assertEquals(new DEROctetString(nonce),
                basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue());
        SingleResp[] single = basic.getResponses();
        RevokedStatus revoked = assertInstanceOf(RevokedStatus.class, single[0].getCertStatus());
        assertEquals(5, revoked.getRevocationReason());
        assertInstanceOf(UnknownStatus.class, single[1].getCertStatus());
        assertTrue(single[0].getNextUpdate().after(single[0].getThisUpdate()));

        byte[] malformed = asAdmin().contentType("application/ocsp-request").body(new byte[]{1, 2, 3})
                .post("/ocsp/" + ca.issuingId()).then().statusCode(200).extract().asByteArray();
        assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(malformed).getStatus());
        assertNull(new OCSPResp(malformed).getResponseObject());
        // found by fuzzing: a request list whose entry holds a tagged object where the CertID belongs was a 500
        byte[] taggedCertId = new DERSequence(new DERSequence(new DERSequence(new DERSequence(
                new DERTaggedObject(true, 4, new DERSequence()))))).getEncoded();
        byte[] refused = asAdmin().contentType("application/ocsp-request").body(taggedCertId)
                .post("/ocsp/" + ca.issuingId()).then().statusCode(200).extract().asByteArray();
        assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(refused).getStatus());
        byte[] notBase64 = asAdmin().get("/ocsp/" + ca.issuingId() + "/%%%").then().statusCode(200).extract()
                .asByteArray();
        assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(notBase64).getStatus());
        byte[] unknownCa = asAdmin().contentType("application/ocsp-request").body(request)
                .post("/ocsp/00000000-0000-4000-8000-000000000000").then().statusCode(200).extract()
                .asByteArray();
        assertEquals(OCSPResp.UNAUTHORIZED, new OCSPResp(unknownCa).getStatus());
    }

    @Test
    void concurrentRevocationsGetDistinctCrlNumbersAndTheLastCrlListsThemAll() throws Exception {
        CaApi.Hierarchy ca = CaApi.newHierarchy(KeyAlgorithm.EC_P256);
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            serials.add(CaApi.issue(ca.issuingId(), KeyPairs.generate(KeyAlgorithm.EC_P256), null, null,
                    "many" + i + "@example.com").serial());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (String serial : serials) {
                results.add(pool.submit(() -> asAdmin().contentType(ContentType.JSON)
                        .body(Map.of("reason", "affiliationChanged"))
                        .post("/api/v1/certificates/" + serial + "/revoke").then().extract().statusCode()));
            }
            for (Future<Integer> result : results) {
                assertEquals(200, result.get());
            }
        } finally {
            pool.shutdown();
        }
        Set<Long> numbers = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
                ResultSet rows = connection.createStatement().executeQuery(
                        "select crl_number from crl where ca_id = '" + ca.issuingId() + "'")) {
            while (rows.next()) {
                assertTrue(numbers.add(rows.getLong(1)), "CRL numbers are unique");
            }
        }
        assertEquals(1 + serials.size(), numbers.size(), "one CRL at creation and one per revocation");
        String text = OpenSsl.run("crl", "-in", crl(ca.issuingId(), "last.pem").toString(), "-noout", "-text");
        for (String serial : serials) {
            assertTrue(text.contains("Serial Number: " + serial.toUpperCase()), text);
        }
        assertEquals(numbers.stream().max(Long::compare).orElseThrow(), crlNumber(dir.resolve("last.pem")));
    }

    private static CertificateID certificateId(X509CertificateHolder issuer, BigInteger serial) throws Exception {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                issuer, serial);
    }

    /** openssl as an OCSP client over HTTP against the running service; verifies the response signature too. */
    private static String ocsp(Path root, Path issuing, Path cert, String caId) {
        return OpenSsl.run("ocsp", "-issuer", issuing.toString(), "-cert", cert.toString(), "-url",
                "http://localhost:" + RestAssured.port + "/ocsp/" + caId, "-CAfile", root.toString(),
                "-verify_other", issuing.toString());
    }

    private Path crl(String caId, String name) {
        byte[] der = asAdmin().get("/crl/" + caId).then().statusCode(200).contentType("application/pkix-crl")
                .extract().asByteArray();
        Path derFile = CaApi.write(dir, name + ".der", der);
        Path pem = dir.resolve(name);
        OpenSsl.run("crl", "-inform", "DER", "-in", derFile.toString(), "-out", pem.toString());
        return pem;
    }

    private static long crlNumber(Path crl) {
        String text = OpenSsl.run("crl", "-in", crl.toString(), "-noout", "-text");
        Matcher matcher = CRL_NUMBER.matcher(text);
        assertTrue(matcher.find(), text);
        return Long.parseLong(matcher.group(1));
    }

    private static void assertCrlValidForSevenDays(String crlText) {
        Matcher last = Pattern.compile("Last Update: ([^\\n]+)").matcher(crlText);
        Matcher next = Pattern.compile("Next Update: ([^\\n]+)").matcher(crlText);
        assertTrue(last.find() && next.find(), crlText);
        DateTimeFormatter openssl = DateTimeFormatter
                .ofPattern("MMM ppd HH:mm:ss yyyy zzz", Locale.ROOT);
        Duration validity = Duration.between(ZonedDateTime.parse(last.group(1).strip(), openssl),
                ZonedDateTime.parse(next.group(1).strip(), openssl));
        assertEquals(Duration.ofDays(7), validity);
    }

    private static void assertVerifies(OpenSsl.Result result) {
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains(": OK"), result.output());
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = TableRows.counts(dataSource, TABLES);
        counts.put("revoked", TableRows.count(dataSource,
                "select count(*) from issued_certificate where revoked_at is not null"));
        return counts;
    }
}
