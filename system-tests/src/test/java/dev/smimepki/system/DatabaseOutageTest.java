package dev.smimepki.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.infra.LocalPostgres;
import dev.smimepki.infra.Ports;

/**
 * PostgreSQL stops under a running ca-service: requests fail fast with a 503 problem (no hang, no 500), readiness
 * says DOWN, liveness stays UP, and everything works again once the database is back, with nothing half-written.
 * Under a consuming directory-service: a look-up is refused the same way, and an event that arrives while its
 * database is away waits in the consumer, is retried, and is applied once the database returns, also after an outage
 * longer than the Kafka connector's unprocessed-record limit (60 s by default, which would close the consumer). The
 * two run side by side, each on its own embedded PostgreSQL and its own instance of the service, so that their
 * outages overlap instead of adding up.
 */
class DatabaseOutageTest {
    /** Longer than the connector's default limit on a record left unprocessed (60 s). */
    private static final Duration CONSUMER_OUTAGE = Duration.ofSeconds(75);

    @TempDir
    Path dir;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void requestsFailFastWhileTheDatabaseIsDownAndSucceedAfter() throws Exception {
        Platform platform = Platform.get();
        Path data = dir.resolve("outage-postgres"); // a fresh server: nothing from an earlier run
        int port = Ports.freePort();
        LocalPostgres postgres = LocalPostgres.startEmbedded(data, port);
        postgres.createDatabaseIfMissing("outage_ca");
        ServiceProcess ca = platform.startInstance("ca-service", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("outage_ca"),
                "QUARKUS_DATASOURCE_USERNAME", postgres.username(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password()));
        String token = platform.adminToken();
        try {
            String caId = given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("name", "Outage Root", "subject", "CN=Outage Root", "keyAlgorithm", "EC_P256",
                            "validityDays", 365))
                    .post(ca.baseUrl() + "/api/v1/cas").then().statusCode(201).extract().path("id");
            String csr = csr();
            issue(ca, token, caId, csr, "before@example.com").then().statusCode(201);

            postgres.close();
            Instant stopped = Instant.now();
            Response refused = issue(ca, token, caId, csr, "during@example.com");
            long seconds = Duration.between(stopped, Instant.now()).toSeconds();
            assertEquals(503, refused.statusCode(), refused.asString());
            assertEquals("application/problem+json", refused.contentType());
            assertTrue(seconds < 15, "refused within " + seconds + " s, not after a hang");
            awaitStatus(ca.baseUrl() + "/q/health/ready", 503, Duration.ofSeconds(30));
            given().get(ca.baseUrl() + "/q/health/live").then().statusCode(200);

            postgres = LocalPostgres.startEmbedded(data, port);
            awaitStatus(ca.baseUrl() + "/q/health/ready", 200, Duration.ofSeconds(60));
            issue(ca, token, caId, csr, "after@example.com").then().statusCode(201);
            List<String> mailboxes = given().auth().oauth2(token).get(ca.baseUrl() + "/api/v1/certificates?size=100")
                    .then().statusCode(200).extract().path("items.emails.flatten()");
            assertEquals(List.of("after@example.com", "before@example.com"), mailboxes.stream().sorted().toList(),
                    "the refused issuance left nothing behind");
        } finally {
            ca.stop();
            postgres.close();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void anEventThatArrivesWhileTheDatabaseIsDownIsAppliedAfterItReturns() throws Exception {
        Platform platform = Platform.get();
        Path data = dir.resolve("consumer-outage-postgres");
        int port = Ports.freePort();
        LocalPostgres postgres = LocalPostgres.startEmbedded(data, port);
        postgres.createDatabaseIfMissing("outage_directory");
        String group = "outage-directory-" + port; // its own group: it sees every event, the platform's loses none
        ServiceProcess directory = platform.startInstance("directory-service", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("outage_directory"),
                "QUARKUS_DATASOURCE_USERNAME", postgres.username(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password(),
                "MP_MESSAGING_INCOMING_CERTIFICATES_IN_GROUP_ID", group,
                "MP_MESSAGING_INCOMING_HARVEST_IN_GROUP_ID", group));
        String token = platform.adminToken();
        try {
            String caId = Burst.issuingCa(platform, "Consumer Outage");
            String csr = csr();
            String before = issue(platform, token, caId, csr, "consumer-before-" + port + "@example.com");
            awaitPreferred(directory, "consumer-before-" + port + "@example.com", before, Duration.ofSeconds(120));

            postgres.close();
            String during = issue(platform, token, caId, csr, "consumer-during-" + port + "@example.com");
            Instant issued = Instant.now();
            awaitStatus(directory.baseUrl() + "/q/health/ready", 503, Duration.ofSeconds(30));
            Instant asked = Instant.now();
            Response lookup = given().get(directory.baseUrl() + "/api/v1/directory/consumer-before-" + port
                    + "@example.com");
            long lookupSeconds = Duration.between(asked, Instant.now()).toSeconds();
            assertEquals(503, lookup.statusCode(), lookup.asString());
            assertEquals("application/problem+json", lookup.contentType());
            assertEquals("database-unavailable", lookup.path("code"), lookup.asString());
            assertTrue(lookupSeconds < 15, "look-up refused within " + lookupSeconds + " s, not after a hang");
            while (Instant.now().isBefore(issued.plus(CONSUMER_OUTAGE))) {
                given().get(directory.baseUrl() + "/q/health/live").then().statusCode(200);
                Thread.sleep(1_000);
            }

            postgres = LocalPostgres.startEmbedded(data, port);
            awaitStatus(directory.baseUrl() + "/q/health/ready", 200, Duration.ofSeconds(60));
            awaitPreferred(directory, "consumer-during-" + port + "@example.com", during, Duration.ofSeconds(60));
            String retries = given().get(directory.baseUrl() + "/q/metrics").then().statusCode(200).extract()
                    .asString().lines().filter(line -> line.startsWith("pki_events_retries_total"))
                    .collect(Collectors.joining("\n"));
            assertTrue(!retries.isEmpty(), "the consumer retried while the database was away");
            System.out.printf("consumer outage: %d s without its database; the event held was applied after;"
                    + " %s%n", CONSUMER_OUTAGE.toSeconds(), retries);
        } finally {
            directory.stop();
            postgres.close();
        }
    }

    /** Issues through the platform's ca-service; returns the certificate's fingerprint. */
    private static String issue(Platform platform, String token, String caId, String csr, String mailbox) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("caId", caId, "emails", List.of(mailbox), "csr", csr))
                .post(platform.url("ca-service") + "/api/v1/certificates").then().statusCode(201).extract()
                .path("fingerprintSha256");
    }

    private static void awaitPreferred(ServiceProcess directory, String mailbox, String fingerprint,
            Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        Response last = null;
        while (Instant.now().isBefore(deadline)) {
            last = given().get(directory.baseUrl() + "/api/v1/directory/" + mailbox);
            if (last.statusCode() == 200 && fingerprint.equals(last.path("preferred"))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(mailbox + " not shown with " + fingerprint + " within " + within + ": "
                + (last == null ? "no answer" : last.statusCode() + " " + last.asString()));
    }

    private static Response issue(ServiceProcess ca, String token, String caId, String csr, String mailbox) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("caId", caId, "emails", List.of(mailbox), "csr", csr))
                .post(ca.baseUrl() + "/api/v1/certificates");
    }

    private static void awaitStatus(String url, int status, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = given().get(url).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " answered " + last + ", not " + status + ", for " + within);
    }

    private String csr() throws Exception {
        Path key = dir.resolve("key.pem");
        Path csr = dir.resolve("csr.pem");
        OpenSsl.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-subj", "/CN=outage", "-out", csr.toString());
        return Files.readString(csr);
    }
}
