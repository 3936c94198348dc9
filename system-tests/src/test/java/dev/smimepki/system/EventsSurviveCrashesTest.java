package dev.smimepki.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.Topics;
import dev.smimepki.infra.test.TopicReader;

/**
 * ca-service is killed (SIGKILL) right after issuing and after revoking, while the broker is away so the relay cannot
 * have published yet: after both come back, each state change is on the broker exactly once.
 */
class EventsSurviveCrashesTest {
    @TempDir
    Path dir;

    @Test
    void issuedAndRevokedEventsArePublishedOnceAfterACrashRightAfterTheCommit() throws Exception {
        Platform platform = Platform.get();
        ServiceProcess ca = platform.service("ca-service");
        String issuingCa = createHierarchy(platform);

        platform.broker().kill();
        Map<String, Object> issued = admin(platform).contentType(ContentType.JSON)
                .body(Map.of("caId", issuingCa, "emails", List.of("crash@example.com"), "csr", csr()))
                .post(platform.url("ca-service") + "/api/v1/certificates").then().statusCode(201).extract().jsonPath()
                .getMap("");
        ca.kill();
        platform.broker().restart();
        ca.start();
        ca.awaitReady(Duration.ofSeconds(90));
        String fingerprint = (String) issued.get("fingerprintSha256");
        assertEquals(List.of("pki.certificate.issued.v1"), eventTypes(platform, fingerprint, 1));

        platform.broker().kill();
        admin(platform).contentType(ContentType.JSON).body(Map.of("reason", "keyCompromise"))
                .post(platform.url("ca-service") + "/api/v1/certificates/" + issued.get("serial") + "/revoke").then()
                .statusCode(200);
        ca.kill();
        platform.broker().restart();
        ca.start();
        ca.awaitReady(Duration.ofSeconds(90));
        assertEquals(List.of("pki.certificate.issued.v1", "pki.certificate.revoked.v1"),
                eventTypes(platform, fingerprint, 2));
    }

    private static List<String> eventTypes(Platform platform, String fingerprint, int expected) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(platform.broker().bootstrapServers(),
                Topics.CERTIFICATES, r -> fingerprint.equals(r.key()), expected, Duration.ofSeconds(60));
        return records.stream()
                .map(r -> new String(r.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8))
                .toList();
    }

    private static String createHierarchy(Platform platform) {
        String root = admin(platform).contentType(ContentType.JSON)
                .body(Map.of("name", "Crash Root", "subject", "CN=Crash Test Root", "keyAlgorithm", "EC_P256",
                        "validityDays", 3650))
                .post(platform.url("ca-service") + "/api/v1/cas").then().statusCode(201).extract().path("id");
        return admin(platform).contentType(ContentType.JSON)
                .body(Map.of("name", "Crash Issuing", "subject", "CN=Crash Test Issuing", "keyAlgorithm", "EC_P256",
                        "validityDays", 1825, "issuerCaId", root))
                .post(platform.url("ca-service") + "/api/v1/cas").then().statusCode(201).extract().path("id");
    }

    /** A subscriber CSR made by openssl, as a user would make one. */
    private String csr() throws Exception {
        Path key = dir.resolve("key.pem");
        Path csr = dir.resolve("csr.pem");
        OpenSsl.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-subj", "/CN=crash@example.com", "-out", csr.toString());
        return Files.readString(csr);
    }

    private static RequestSpecification admin(Platform platform) {
        return given().auth().oauth2(platform.adminToken());
    }
}
