package dev.smimepki.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.Topics;
import dev.smimepki.infra.test.TopicReader;

/**
 * Clients hammering the platform from several threads, as mail gateways and admins would: issuances for openssl CSRs,
 * revocations of certificates issued in the burst, and verifies of strangers' signed mail (each one a harvest). It
 * keeps a ledger of what the platform answered, and afterwards checks what the platform holds against it, with
 * ca-service's records as the truth for certificates: each on the broker exactly once per state change, on the CRL
 * when revoked, in the directory with its status; each answered harvest in the directory, applied once.
 */
final class Burst {
    /** A request must not hang a client for ever; generous, the machine may be loaded. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final RestAssuredConfig TIMEOUTS = RestAssuredConfig.config().httpClient(HttpClientConfig
            .httpClientConfig().setParam("http.connection.timeout", 5_000)
            .setParam("http.socket.timeout", (int) REQUEST_TIMEOUT.toMillis()));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration CONSUMERS_CATCH_UP = Duration.ofSeconds(90);
    /** Reading a topic to its end; a second or two when healthy. */
    private static final Duration WHOLE_TOPIC_READ = Duration.ofSeconds(60);
    /** Half the requests issue, a quarter revoke (what was issued), a quarter verify strangers' mail. */
    private static final List<Kind> KINDS = List.of(Kind.ISSUE, Kind.VERIFY, Kind.ISSUE, Kind.REVOKE);

    private enum Kind {
        ISSUE,
        REVOKE,
        VERIFY
    }

    private final Platform platform;
    private final String issuingCaId;
    private final String csr;
    private final StrangerMail strangers;
    private final String label;
    private final Random random;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> clients = new ArrayList<>();
    private final Queue<String> revocable = new ConcurrentLinkedQueue<>();
    private final Set<String> answeredIssued = ConcurrentHashMap.newKeySet();
    private final Set<String> answeredRevoked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger mailboxes = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger revoked = new AtomicInteger();
    private final AtomicInteger harvested = new AtomicInteger();
    private final AtomicIntegerArray verifiesSent;
    private final AtomicIntegerArray verifiesHarvested;

    /** What the platform had answered so far: requests sent, refused (or failed), and commits by kind. */
    record Tally(int requests, int refused, int issued, int revoked, int harvested) {
        Tally minus(Tally earlier) {
            return new Tally(requests - earlier.requests, refused - earlier.refused, issued - earlier.issued,
                    revoked - earlier.revoked, harvested - earlier.harvested);
        }

        int commits() {
            return issued + revoked + harvested;
        }
    }

    /**
     * What a check looked at: certificates of the burst (and how many revoked) or strangers harvested, and the events
     * read from the broker for them, all copies and distinct ids.
     */
    record Checked(int certificates, int revoked, int strangers, int events, long distinctEvents) {
    }

    Burst(Platform platform, String issuingCaId, String csr, StrangerMail strangers, String label, long seed) {
        this.platform = platform;
        this.issuingCaId = issuingCaId;
        this.csr = csr;
        this.strangers = strangers;
        this.label = label;
        this.random = new Random(seed);
        this.verifiesSent = new AtomicIntegerArray(strangers.size());
        this.verifiesHarvested = new AtomicIntegerArray(strangers.size());
    }

    /** A fresh EC root and issuing CA in ca-service; returns the issuing CA's id. */
    static String issuingCa(Platform platform, String name) {
        String ca = platform.url("ca-service");
        String root = given().auth().oauth2(platform.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", name + " Root", "subject", "CN=" + name + " Root", "keyAlgorithm", "EC_P256",
                        "validityDays", 3650))
                .post(ca + "/api/v1/cas").then().statusCode(201).extract().path("id");
        return given().auth().oauth2(platform.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", name + " Issuing", "subject", "CN=" + name + " Issuing", "keyAlgorithm",
                        "EC_P256", "validityDays", 1825, "issuerCaId", root))
                .post(ca + "/api/v1/cas").then().statusCode(201).extract().path("id");
    }

    /** A subscriber CSR made by openssl, as a user would make one; the burst reuses it for every issuance. */
    static String csr(Path dir, String commonName) {
        Path key = dir.resolve("burst-key.pem");
        Path csr = dir.resolve("burst-csr.pem");
        OpenSsl.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-subj", "/CN=" + commonName, "-out", csr.toString());
        try {
            return Files.readString(csr);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void start(int clientThreads) {
        start(clientThreads, Duration.ZERO);
    }

    /**
     * Starts the clients, each pausing between its requests: a bounded rate keeps the number of certificates the
     * checks walk one by one (and so the test's time) independent of the machine's speed.
     */
    void start(int clientThreads, Duration pauseBetweenRequests) {
        running.set(true);
        for (int i = 0; i < clientThreads; i++) {
            Random own = new Random(random.nextLong());
            int first = i;
            Thread client = new Thread(() -> {
                // each client takes the kinds in turn, starting at its own: even a slow phase of a few requests
                // sees every kind
                for (int turn = first; running.get(); turn++) {
                    request(KINDS.get(turn % KINDS.size()), own);
                    sleep(pauseBetweenRequests.toMillis());
                }
            }, label + "-client-" + i);
            clients.add(client);
            client.start();
        }
    }

    /** Stops the clients after their current request (bounded by the request timeout). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(REQUEST_TIMEOUT.plusSeconds(30).toMillis());
            assertTrue(!client.isAlive(), client.getName() + " did not finish its request");
        }
    }

    Tally tally() {
        return new Tally(requests.get(), refused.get(), issued.get(), revoked.get(), harvested.get());
    }

    private void request(Kind kind, Random own) {
        requests.incrementAndGet();
        try {
            if (kind == Kind.VERIFY) {
                verify(own.nextInt(strangers.size()));
                return;
            }
            String serial = kind == Kind.REVOKE ? revocable.poll() : null;
            if (serial != null) {
                revoke(serial);
            } else {
                issue();
            }
        } catch (Exception e) { // rest-assured rethrows IOExceptions undeclared: connection refused or reset
            refused.incrementAndGet();
            sleep(200);
        }
    }

    private void issue() {
        Response response = given().config(TIMEOUTS).auth().oauth2(platform.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("caId", issuingCaId, "emails",
                        List.of(label + "-" + mailboxes.incrementAndGet() + "@example.com"), "csr", csr))
                .post(platform.url("ca-service") + "/api/v1/certificates");
        if (response.statusCode() == 201) {
            answeredIssued.add(response.path("fingerprintSha256"));
            revocable.add(response.path("serial"));
            issued.incrementAndGet();
        } else {
            refused.incrementAndGet();
        }
    }

    private void revoke(String serial) {
        int status;
        try {
            status = given().config(TIMEOUTS).auth().oauth2(platform.adminToken()).contentType(ContentType.JSON)
                    .body(Map.of("reason", "superseded"))
                    .post(platform.url("ca-service") + "/api/v1/certificates/" + serial + "/revoke").statusCode();
        } catch (RuntimeException e) {
            revocable.add(serial); // the revocation may or may not have committed: try again later
            throw e;
        }
        if (status == 200) {
            answeredRevoked.add(serial);
            revoked.incrementAndGet();
        } else if (status != 409) { // 409: an earlier attempt committed but its answer was lost
            revocable.add(serial);
            refused.incrementAndGet();
        }
    }

    private void verify(int index) throws IOException, InterruptedException {
        StrangerMail.Stranger stranger = strangers.get(index);
        verifiesSent.incrementAndGet(index);
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.url("crypto-service")
                + "/api/v1/smime/verify")).header("Authorization", "Bearer " + platform.adminToken())
                .header("Content-Type", "message/rfc822").timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofFile(stranger.signedMessage())).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && JsonPath.from(response.body()).getBoolean("harvested")) {
            verifiesHarvested.incrementAndGet(index);
            harvested.incrementAndGet();
        } else {
            refused.incrementAndGet();
        }
    }

    /**
     * ca-service's records of the burst's CA are the truth: every certificate it answered 201 for is among them, and
     * every one has exactly one issued event on the broker (and one revoked event when revoked, after it), is on
     * the CRL if and only if revoked, and is shown by the directory with ca-service's status.
     */
    Checked checkCertificates(Path dir) throws IOException {
        String token = platform.adminToken();
        String ca = platform.url("ca-service");
        List<JsonPath> committed = CaCertificates.of(ca, token, issuingCaId);
        Map<String, String> statusByFingerprint = committed.stream().collect(Collectors.toMap(
                c -> c.getString("fingerprintSha256"), c -> c.getString("status")));
        Set<String> revokedSerials = committed.stream().filter(c -> c.getString("status").equals("revoked"))
                .map(c -> c.getString("serial")).collect(Collectors.toSet());
        Set<String> lost = new HashSet<>(answeredIssued);
        lost.removeAll(statusByFingerprint.keySet());
        assertEquals(Set.of(), lost, "certificates answered 201 but not in ca-service's records");
        Set<String> unrevoked = new HashSet<>(answeredRevoked);
        unrevoked.removeAll(revokedSerials);
        assertEquals(Set.of(), unrevoked, "revocations answered 200 but not revoked in ca-service's records");

        // at-least-once: a copy of an event (same id) may follow it, e.g. when the broker died before acknowledging
        Instant deadline = Instant.now().plus(CONSUMERS_CATCH_UP);
        List<ConsumerRecord<String, byte[]>> events;
        String problem;
        while (true) {
            events = TopicReader.readToEnd(platform.broker().bootstrapServers(), Topics.CERTIFICATES,
                    r -> statusByFingerprint.containsKey(r.key()), WHOLE_TOPIC_READ);
            problem = certificateEventProblem(events, statusByFingerprint);
            if (problem == null || !Instant.now().isBefore(deadline)) {
                break;
            }
            sleep(1_000); // the relays may still be publishing
        }
        assertEquals(null, problem, "certificate events on the broker within " + CONSUMERS_CATCH_UP);

        Path crl = dir.resolve(label + ".crl");
        Files.write(crl, given().get(ca + "/crl/" + issuingCaId).then().statusCode(200).extract().asByteArray());
        String crlText = OpenSsl.run("crl", "-inform", "DER", "-in", crl.toString(), "-noout", "-text").toLowerCase();
        for (JsonPath certificate : committed) {
            String serial = certificate.getString("serial");
            String even = serial.length() % 2 == 0 ? serial : "0" + serial;
            boolean listed = crlText.contains("serial number: " + even);
            assertEquals(certificate.getString("status").equals("revoked"), listed, "CRL entry of " + serial);
            awaitDirectoryStatus(certificate.getList("emails", String.class).get(0),
                    certificate.getString("fingerprintSha256"), certificate.getString("status"));
        }
        return new Checked(committed.size(), revokedSerials.size(), 0, events.size(), distinctIds(events));
    }

    /**
     * Null when each certificate has exactly one issued event id, and one revoked event id after it when revoked
     * (the order its consumers see: one key, one partition); else what is wrong with the first that does not.
     */
    private static String certificateEventProblem(List<ConsumerRecord<String, byte[]>> events,
            Map<String, String> statusByFingerprint) {
        Map<String, Map<String, Set<String>>> idsByTypeByCertificate = new HashMap<>();
        for (ConsumerRecord<String, byte[]> event : events) {
            idsByTypeByCertificate.computeIfAbsent(event.key(), key -> new LinkedHashMap<>())
                    .computeIfAbsent(header(event, CloudEventHeaders.TYPE), type -> new HashSet<>())
                    .add(header(event, CloudEventHeaders.ID));
        }
        for (Map.Entry<String, String> certificate : statusByFingerprint.entrySet()) {
            List<String> expected = certificate.getValue().equals("revoked")
                    ? List.of("pki.certificate.issued.v1", "pki.certificate.revoked.v1")
                    : List.of("pki.certificate.issued.v1");
            Map<String, Set<String>> idsByType = idsByTypeByCertificate.getOrDefault(certificate.getKey(), Map.of());
            if (!expected.equals(List.copyOf(idsByType.keySet()))
                    || idsByType.values().stream().anyMatch(ids -> ids.size() != 1)) {
                return "certificate " + certificate.getKey() + " (" + certificate.getValue() + ") has event ids by"
                        + " type, in the order first seen: " + idsByType;
            }
        }
        return null;
    }

    /**
     * Every stranger whose mail was verified with a harvest answered: their certificate is in the directory as one
     * harvested, trusted row, and the directory applied each harvest event on the broker exactly once (its count of
     * sightings equals the distinct event ids), which is at least the harvests answered (none lost) and at most the
     * verifies sent (a verify cut off by a crash may still have committed its harvest).
     */
    Checked checkHarvests() {
        Set<String> fingerprints = strangers.all().stream().map(StrangerMail.Stranger::fingerprint)
                .collect(Collectors.toSet());
        Instant deadline = Instant.now().plus(CONSUMERS_CATCH_UP);
        String mismatch = "";
        List<ConsumerRecord<String, byte[]>> events;
        int checked = 0;
        do {
            // at-least-once: the topic may hold an event twice (same id) after a crash between send and mark
            events = TopicReader.readToEnd(platform.broker().bootstrapServers(), Topics.HARVEST,
                    r -> fingerprints.contains(r.key()), WHOLE_TOPIC_READ);
            Map<String, Set<String>> idsByFingerprint = new HashMap<>();
            for (ConsumerRecord<String, byte[]> event : events) {
                idsByFingerprint.computeIfAbsent(event.key(), key -> new HashSet<>()).add(header(event,
                        CloudEventHeaders.ID));
            }
            checked = 0;
            mismatch = "";
            for (int i = 0; i < strangers.size() && mismatch.isEmpty(); i++) {
                StrangerMail.Stranger stranger = strangers.get(i);
                int answered = verifiesHarvested.get(i);
                int attempted = verifiesSent.get(i);
                int distinct = idsByFingerprint.getOrDefault(stranger.fingerprint(), Set.of()).size();
                JsonPath entry = given().get(platform.url("directory-service") + "/api/v1/directory/"
                        + stranger.mailbox()).then().statusCode(200).extract().jsonPath();
                List<Map<String, Object>> rows = entry.getList("certificates.findAll { it.fingerprintSha256 == '"
                        + stranger.fingerprint() + "' }");
                if (answered == 0) {
                    mismatch = distinct > attempted
                            ? stranger.mailbox() + ": " + distinct + " harvest events for "
                                    + attempted + " verifies"
                            : "";
                    continue;
                }
                checked++;
                if (distinct < answered || distinct > attempted) {
                    mismatch = stranger.mailbox() + ": " + distinct + " distinct harvest events on the broker, "
                            + answered + " harvests answered, " + attempted + " verifies sent";
                } else if (rows.size() != 1) {
                    mismatch = stranger.mailbox() + ": " + rows.size() + " directory rows " + rows;
                } else if (!"harvested".equals(rows.get(0).get("source"))
                        || !"trusted".equals(rows.get(0).get("trust"))) {
                    mismatch = stranger.mailbox() + ": stored as " + rows.get(0).get("source") + "/"
                            + rows.get(0).get("trust") + " " + rows.get(0).get("trustDetail");
                } else if (((Number) rows.get(0).get("timesHarvested")).intValue() != distinct) {
                    mismatch = stranger.mailbox() + ": directory counted " + rows.get(0).get("timesHarvested")
                            + " sightings for " + distinct + " distinct harvest events";
                }
            }
            if (!mismatch.isEmpty()) {
                sleep(1_000);
            }
        } while (!mismatch.isEmpty() && Instant.now().isBefore(deadline));
        assertEquals("", mismatch, "harvests reached the directory exactly once within " + CONSUMERS_CATCH_UP);
        assertTrue(checked > 0, "some verify harvested: " + tally());
        return new Checked(0, 0, checked, events.size(), distinctIds(events));
    }

    private void awaitDirectoryStatus(String mailbox, String fingerprint, String status) {
        Instant deadline = Instant.now().plus(CONSUMERS_CATCH_UP);
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

    private static long distinctIds(List<ConsumerRecord<String, byte[]>> events) {
        return events.stream().map(event -> header(event, CloudEventHeaders.ID)).distinct().count();
    }

    private static String header(ConsumerRecord<String, byte[]> event, String name) {
        return new String(event.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
