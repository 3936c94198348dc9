package dev.smimepki.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;

import dev.smimepki.core.testpki.OpenSsl;

/**
 * Two ca-service instances on one database, issuing and revoking at the same time: every serial is unique, every
 * revocation lands, and both instances serve one CRL sequence that lists every revoked certificate.
 */
class ReplicasShareOneDatabaseTest {
    private static final int CERTIFICATES = 24;

    @TempDir
    Path dir;

    @Test
    void concurrentIssuanceAndRevocationOnTwoReplicas() throws Exception {
        Platform platform = Platform.get();
        String first = platform.url("ca-service");
        String second = platform.startReplica("ca-service").baseUrl();
        String token = platform.adminToken();
        String root = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Replica Root", "subject", "CN=Replica Root", "keyAlgorithm", "EC_P256",
                        "validityDays", 3650))
                .post(first + "/api/v1/cas").then().statusCode(201).extract().path("id");
        String issuing = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Replica Issuing", "subject", "CN=Replica Issuing", "keyAlgorithm", "EC_P256",
                        "validityDays", 1825, "issuerCaId", root))
                .post(second + "/api/v1/cas").then().statusCode(201).extract().path("id");
        String csr = csr();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> issuance = new ArrayList<>();
            for (int i = 0; i < CERTIFICATES; i++) {
                String url = i % 2 == 0 ? first : second;
                String mailbox = "replica" + i + "@example.com";
                issuance.add(() -> given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body(Map.of("caId", issuing, "emails", List.of(mailbox), "csr", csr))
                        .post(url + "/api/v1/certificates").then().statusCode(201).extract().path("serial"));
            }
            List<String> serials = new ArrayList<>();
            for (Future<String> serial : pool.invokeAll(issuance)) {
                serials.add(serial.get());
            }
            assertEquals(CERTIFICATES, new HashSet<>(serials).size(), "no serial issued twice");

            List<Callable<Integer>> revocations = new ArrayList<>();
            for (int i = 0; i < CERTIFICATES; i++) {
                String url = i % 2 == 0 ? second : first;
                String serial = serials.get(i);
                revocations.add(() -> given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body(Map.of("reason", "superseded")).post(url + "/api/v1/certificates/" + serial + "/revoke")
                        .then().extract().statusCode());
            }
            for (Future<Integer> status : pool.invokeAll(revocations)) {
                assertEquals(200, status.get(), "every revocation succeeds on either replica");
            }

            for (String url : List.of(first, second)) {
                Path crl = dir.resolve("crl-" + url.hashCode() + ".der");
                Files.write(crl, given().get(url + "/crl/" + issuing).then().statusCode(200).extract()
                        .asByteArray());
                String text = OpenSsl.run("crl", "-inform", "DER", "-in", crl.toString(), "-noout", "-text");
                for (String serial : serials) {
                    assertTrue(text.toLowerCase().contains(padded(serial)), "CRL from " + url + " lists " + serial);
                }
                // the first CRL (creation) plus one per revocation, numbered without gaps or repeats
                String number = OpenSsl.run("crl", "-inform", "DER", "-in", crl.toString(), "-noout", "-crlnumber")
                        .trim();
                assertEquals(CERTIFICATES + 1, Long.parseLong(number.substring(number.indexOf("0x") + 2), 16),
                        "CRL number from " + url + ": " + number);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** openssl prints serials as upper-case hex with an even number of digits. */
    private static String padded(String serial) {
        String even = serial.length() % 2 == 0 ? serial : "0" + serial;
        return "serial number: " + even;
    }

    private String csr() throws Exception {
        Path key = dir.resolve("key.pem");
        Path csr = dir.resolve("csr.pem");
        OpenSsl.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-subj", "/CN=replica", "-out", csr.toString());
        return Files.readString(csr);
    }
}
