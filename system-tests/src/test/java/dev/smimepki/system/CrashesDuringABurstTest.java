package dev.smimepki.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.Topics;
import dev.smimepki.infra.test.TopicReader;

/**
 * A burst of issuances and revocations while ca-service, keystore-service and directory-service are killed with
 * SIGKILL at random moments and restarted. Afterwards ca-service's own records are the truth: every certificate it
 * holds has exactly one issued event on the broker, every revoked one exactly one revoked event, is on the CRL and is
 * shown revoked by the directory.
 */
class CrashesDuringABurstTest {
    private static final List<String> VICTIMS = List.of("ca-service", "keystore-service", "directory-service");
    private static final Duration BURST = Duration.ofSeconds(Integer.getInteger("pki.system.burst-seconds", 60));

    @TempDir
    Path dir;

    @Test
    void nothingIsLostOrDuplicatedWhenServicesCrashMidBurst() throws Exception {
        Platform platform = Platform.get();
        String token = platform.adminToken();
        String ca = platform.url("ca-service");
        String root = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Chaos Root", "subject", "CN=Chaos Root", "keyAlgorithm", "EC_P256",
                        "validityDays", 3650))
                .post(ca + "/api/v1/cas").then().statusCode(201).extract().path("id");
        String issuing = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Chaos Issuing", "subject", "CN=Chaos Issuing", "keyAlgorithm", "EC_P256",
                        "validityDays", 1825, "issuerCaId", root))
                .post(ca + "/api/v1/cas").then().statusCode(201).extract().path("id");
        String csr = csr();

        Random random = new Random(Long.getLong("pki.system.chaos-seed", System.nanoTime()));
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> kills = new ArrayList<>();
        Thread chaos = new Thread(() -> {
            while (running.get()) {
                sleep(1_000 + random.nextInt(4_000));
                if (!running.get()) {
                    return;
                }
                String victim = VICTIMS.get(random.nextInt(VICTIMS.size()));
                ServiceProcess service = platform.service(victim);
                service.kill();
                kills.add(victim);
                service.start();
                service.awaitReady(Duration.ofSeconds(120));
            }
        }, "chaos");
        chaos.start();

        Set<String> knownSerials = ConcurrentHashMap.newKeySet();
        int attempts = 0;
        int refused = 0;
        Instant end = Instant.now().plus(BURST);
        try {
            while (Instant.now().isBefore(end)) {
                attempts++;
                try {
                    if (!knownSerials.isEmpty() && random.nextInt(3) == 0) {
                        String serial = knownSerials.iterator().next();
                        int status = given().auth().oauth2(token).contentType(ContentType.JSON)
                                .body(Map.of("reason", "superseded"))
                                .post(ca + "/api/v1/certificates/" + serial + "/revoke").statusCode();
                        if (status == 200 || status == 409) {
                            knownSerials.remove(serial);
                        } else {
                            refused++;
                        }
                    } else {
                        var response = given().auth().oauth2(token).contentType(ContentType.JSON)
                                .body(Map.of("caId", issuing, "emails", List.of("chaos" + attempts + "@example.com"),
                                        "csr", csr))
                                .post(ca + "/api/v1/certificates");
                        if (response.statusCode() == 201) {
                            knownSerials.add(response.path("serial"));
                        } else {
                            refused++;
                        }
                    }
                } catch (Exception e) { // rest-assured rethrows IOExceptions unchecked-style
                    refused++; // connection refused or reset while ca-service was down
                    sleep(200);
                }
            }
        } finally {
            running.set(false);
            chaos.join(180_000);
        }
        for (String name : VICTIMS) {
            platform.service(name).awaitReady(Duration.ofSeconds(120));
        }

        // the truth: what ca-service committed
        List<JsonPath> committed = certificatesOf(platform, token, issuing);
        Map<String, String> fingerprintToStatus = committed.stream().collect(Collectors.toMap(
                c -> c.getString("fingerprintSha256"), c -> c.getString("status")));
        long revoked = fingerprintToStatus.values().stream().filter("revoked"::equals).count();
        assertTrue(committed.size() > 10, "the burst issued certificates: " + committed.size());
        assertTrue(kills.size() >= 3, "services were killed during the burst: " + kills);

        List<ConsumerRecord<String, byte[]>> events = TopicReader.read(platform.broker().bootstrapServers(),
                Topics.CERTIFICATES, r -> fingerprintToStatus.containsKey(r.key()), committed.size() + (int) revoked,
                Duration.ofSeconds(90));
        Map<String, List<String>> typesByCertificate = new HashMap<>();
        for (ConsumerRecord<String, byte[]> event : events) {
            typesByCertificate.computeIfAbsent(event.key(), key -> new ArrayList<>()).add(new String(event.headers()
                    .lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, String> certificate : fingerprintToStatus.entrySet()) {
            List<String> expected = certificate.getValue().equals("revoked")
                    ? List.of("pki.certificate.issued.v1", "pki.certificate.revoked.v1")
                    : List.of("pki.certificate.issued.v1");
            assertEquals(expected, typesByCertificate.get(certificate.getKey()),
                    "events of " + certificate.getKey() + " after kills " + kills);
        }

        Path crl = dir.resolve("chaos.crl");
        Files.write(crl, given().get(ca + "/crl/" + issuing).then().statusCode(200).extract().asByteArray());
        String crlText = OpenSsl.run("crl", "-inform", "DER", "-in", crl.toString(), "-noout", "-text").toLowerCase();
        for (JsonPath certificate : committed) {
            String serial = certificate.getString("serial");
            String even = serial.length() % 2 == 0 ? serial : "0" + serial;
            boolean listed = crlText.contains("serial number: " + even);
            assertEquals(certificate.getString("status").equals("revoked"), listed, "CRL entry of " + serial);
            awaitDirectoryStatus(platform, certificate.getList("emails", String.class).get(0),
                    certificate.getString("fingerprintSha256"), certificate.getString("status"));
        }
        System.out.printf("chaos: %d requests, %d refused while a service was down, %d certificates committed"
                + " (%d revoked), %d events checked, kills %s%n", attempts, refused, committed.size(), revoked,
                events.size(), kills);
    }

    private static List<JsonPath> certificatesOf(Platform platform, String token, String caId) {
        List<JsonPath> certificates = new ArrayList<>();
        for (int page = 0;; page++) {
            JsonPath json = given().auth().oauth2(token).queryParam("page", page).queryParam("size", 100)
                    .get(platform.url("ca-service") + "/api/v1/certificates").then().statusCode(200).extract()
                    .jsonPath();
            List<Map<String, Object>> items = json.getList("items");
            if (items.isEmpty()) {
                return certificates;
            }
            for (int i = 0; i < items.size(); i++) {
                if (caId.equals(json.getString("items[" + i + "].caId"))) {
                    certificates.add(new JsonPath(json.prettify()).setRootPath("items[" + i + "]"));
                }
            }
        }
    }

    private static void awaitDirectoryStatus(Platform platform, String mailbox, String fingerprint, String status) {
        Instant deadline = Instant.now().plusSeconds(60);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonPath entry = given().get(platform.url("directory-service") + "/api/v1/directory/" + mailbox).then()
                    .statusCode(200).extract().jsonPath();
            last = entry.getString("certificates.find { it.fingerprintSha256 == '" + fingerprint + "' }.status");
            if (status.equals(last)) {
                return;
            }
            sleep(250);
        }
        assertEquals(status, last, "directory status of " + mailbox);
    }

    private String csr() throws Exception {
        Path key = dir.resolve("key.pem");
        Path csr = dir.resolve("csr.pem");
        OpenSsl.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-subj", "/CN=chaos", "-out", csr.toString());
        return Files.readString(csr);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
