package dev.smimepki.ca;

import static dev.smimepki.ca.CaApi.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.OpenSsl;

/** CA hierarchy: roots and issuing CAs of every key type, as openssl sees them. */
@QuarkusTest
class CertificateAuthorityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void rootAndIssuingCaOfEveryKeyType(KeyAlgorithm algorithm) {
        CaApi.Hierarchy ca = CaApi.hierarchy(algorithm);
        Path root = CaApi.write(dir, "root.pem", ca.rootPem());
        Path issuing = CaApi.write(dir, "issuing.pem", ca.issuingPem());

        String rootText = OpenSsl.run("x509", "-in", root.toString(), "-noout", "-text");
        assertTrue(rootText.contains("CA:TRUE"), rootText);
        assertTrue(rootText.contains("Certificate Sign, CRL Sign"), rootText);
        assertTrue(rootText.contains("X509v3 Subject Key Identifier"), rootText);
        assertTrue(rootText.contains("X509v3 Authority Key Identifier"), rootText);
        String issuingText = OpenSsl.run("x509", "-in", issuing.toString(), "-noout", "-text");
        assertTrue(issuingText.contains("CA:TRUE, pathlen:0"), issuingText);
        assertTrue(issuingText.matches("(?s).*X509v3 Basic Constraints: critical.*"), issuingText);
        assertTrue(issuingText.matches("(?s).*X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign.*"),
                issuingText);
        assertTrue(issuingText.contains("/crl/" + ca.rootId()), issuingText);
        assertTrue(issuingText.contains("/api/v1/cas/" + ca.rootId() + "/certificate"), issuingText);

        String verified = OpenSsl.run("verify", "-x509_strict", "-CAfile", root.toString(), issuing.toString());
        assertTrue(verified.contains(": OK"), verified);
    }

    @Test
    void listShowCertificateAndChain() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        asAdmin().get("/api/v1/cas").then().statusCode(200)
                .body("id", hasItems(ca.rootId(), ca.issuingId()))
                .body(not(containsString("PRIVATE")));
        asAdmin().get("/api/v1/cas/" + ca.issuingId()).then().statusCode(200)
                .body("id", equalTo(ca.issuingId()))
                .body("issuerCaId", equalTo(ca.rootId()))
                .body("keyAlgorithm", equalTo("EC_P256"))
                .body("fingerprintSha256", equalTo(Certificate.fromPem(ca.issuingPem()).fingerprintSha256()));

        byte[] der = asAdmin().get("/api/v1/cas/" + ca.issuingId() + "/certificate").then().statusCode(200)
                .contentType("application/pkix-cert").extract().asByteArray();
        assertArrayEquals(Pem.decodeOne(ca.issuingPem(), PemType.CERTIFICATE), der);
        String pem = asAdmin().accept("application/x-pem-file").get("/api/v1/cas/" + ca.issuingId() + "/certificate")
                .then().statusCode(200).contentType("application/x-pem-file").extract().asString();
        assertEquals(Certificate.fromPem(ca.issuingPem()), Certificate.fromPem(pem));

        String chain = asAdmin().get("/api/v1/cas/" + ca.issuingId() + "/chain").then().statusCode(200)
                .contentType("application/pem-certificate-chain").extract().asString();
        assertEquals(2, Pem.decodeAll(chain, PemType.CERTIFICATE).size());
        assertTrue(chain.startsWith(ca.issuingPem().strip()) || chain.indexOf(ca.issuingPem().strip()) == 0,
                "issuing CA first");
    }

    @Test
    void unknownCaIsProblem404() {
        String unknown = "00000000-0000-4000-8000-000000000000";
        for (String path : new String[]{"", "/certificate", "/chain"}) {
            asAdmin().get("/api/v1/cas/" + unknown + path).then().statusCode(404)
                    .contentType("application/problem+json").body("status", equalTo(404));
        }
        asAdmin().get("/crl/" + unknown).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badSubjectKeyAlgorithmOrBodyIs400WithErrors() {
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "subject", "not a dn", "keyAlgorithm", "EC_P256", "validityDays", 10))
                .post("/api/v1/cas").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("subject"));
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "subject", "CN=x", "keyAlgorithm", "DSA_1024", "validityDays", 10))
                .post("/api/v1/cas").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("keyAlgorithm"))
                .body("detail", containsString("EC_P256"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/v1/cas").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItems("subject", "keyAlgorithm"));
        asAdmin().contentType(ContentType.JSON).body("{not json").post("/api/v1/cas").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void issuingCaCannotCertifyAnotherCa() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "subject", "CN=Third level", "keyAlgorithm", "EC_P256", "validityDays", 10,
                        "issuerCaId", ca.issuingId()))
                .post("/api/v1/cas").then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("issuer-cannot-certify-cas"));
    }
}
