package dev.smimepki.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.path.json.JsonPath;

import dev.smimepki.infra.KafkaBroker;

/**
 * The Kafka broker is killed for a minute in the middle of a burst of issuances, revocations and harvests: while it
 * is away every service says not ready (503) but alive (200) and keeps committing, the events waiting in the outboxes;
 * once it is back the backlog drains within a bound, every service is ready again, and nothing was lost or
 * duplicated on the way to the broker, the directory and the CRL.
 */
class BrokerOutageDuringABurstTest {
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("pki.system.outage-seconds", 60));
    private static final Duration BEFORE_OUTAGE = Duration.ofSeconds(10);
    /** Readiness follows the broker within a probe period or two (the broker check gives up after 2 s). */
    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(30);
    /** Generous for a loaded machine; the relays back off at most 5 s, so a drain takes seconds when healthy. */
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(120);
    private static final int CLIENTS = 3;
    /** At most about 10 requests a second: hundreds of commits during the outage, not thousands to check after. */
    private static final Duration PAUSE_BETWEEN_REQUESTS = Duration.ofMillis(300);
    private static final int STRANGERS = 12;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @AfterEach
    void brokerBack() {
        KafkaBroker broker = Platform.get().broker();
        if (!broker.isAlive()) {
            broker.restart();
        }
    }

    @Test
    void nothingIsLostAndTheBacklogDrainsWhenTheBrokerIsAwayForAMinute() throws Exception {
        Platform platform = Platform.get();
        String issuing = Burst.issuingCa(platform, "Outage");
        StrangerMail strangers = StrangerMail.create(platform, dir, "outage", STRANGERS);
        long seed = Long.getLong("pki.system.outage-seed", System.nanoTime());
        Burst burst = new Burst(platform, issuing, Burst.csr(dir, "outage"), strangers, "outage", seed);

        burst.start(CLIENTS, PAUSE_BETWEEN_REQUESTS);
        Map<String, Probes> probes = new LinkedHashMap<>();
        Burst.Tally atKill;
        Burst.Tally atRestart;
        Instant restarted;
        try {
            Burst.sleep(BEFORE_OUTAGE.toMillis());
            atKill = burst.tally();
            platform.broker().kill();
            Instant killed = Instant.now();
            for (String service : Platform.SERVICES) {
                probes.put(service, new Probes());
            }
            while (Instant.now().isBefore(killed.plus(OUTAGE))) {
                for (String service : Platform.SERVICES) {
                    probes.get(service).probe(platform.url(service), killed);
                }
                Burst.sleep(500);
            }
            atRestart = burst.tally();
            platform.broker().restart();
            restarted = Instant.now();
        } finally {
            burst.stop();
        }
        Burst.Tally duringOutage = atRestart.minus(atKill);
        System.out.printf("broker outage: before it %s, during it %s; readiness %s%n", atKill, duringOutage, probes);

        for (Map.Entry<String, Probes> service : probes.entrySet()) {
            Probes seen = service.getValue();
            assertTrue(seen.firstDown != null && seen.firstDown.compareTo(NOTICED_WITHIN) <= 0,
                    service.getKey() + " said not ready within " + NOTICED_WITHIN + " of the broker's death: " + seen);
            assertEquals(List.of(), seen.readyAfterDown, service.getKey() + " said ready again while the broker was"
                    + " still away: " + seen);
            assertEquals(List.of(), seen.notLive, service.getKey() + " stayed alive while the broker was away");
        }
        assertTrue(probes.get("ca-service").outboxDown,
                "ca-service's outbox relay reported it cannot publish: " + probes.get("ca-service"));
        assertTrue(duringOutage.issued() > 0 && duringOutage.revoked() > 0 && duringOutage.harvested() > 0,
                "issuances, revocations and harvests kept committing while the broker was away: " + duringOutage);

        Duration drain = awaitDrained(platform, restarted);
        Burst.Checked certificates = burst.checkCertificates(dir);
        Burst.Checked harvests = burst.checkHarvests();
        for (String service : Platform.SERVICES) {
            assertEquals(200, status(platform.url(service) + "/q/health/ready"), service + " ready at the end");
        }
        Burst.Tally total = burst.tally();
        System.out.printf("broker outage (seed %d, %d s): %d requests, %d refused; answered %d issued, %d revoked,"
                + " %d harvested; during the outage %d requests, %d commits (%d issued, %d revoked, %d harvested);"
                + " backlog drained and all ready %d ms after the broker restarted; ca-service holds %d"
                + " certificates (%d revoked), %d certificate events checked (%d distinct); %d strangers harvested,"
                + " %d harvest events checked (%d distinct); readiness DOWN after %s%n", seed, OUTAGE.toSeconds(),
                total.requests(),
                total.refused(), total.issued(), total.revoked(), total.harvested(), duringOutage.requests(),
                duringOutage.commits(), duringOutage.issued(), duringOutage.revoked(), duringOutage.harvested(),
                drain.toMillis(), certificates.certificates(), certificates.revoked(),
                certificates.events(), certificates.distinctEvents(), harvests.strangers(), harvests.events(),
                harvests.distinctEvents(), downAfter(probes));
    }

    /**
     * Until every service is ready and every outbox relay has published what it held. ca- and crypto-service's relays
     * failed during the outage, so their readiness stays DOWN until a batch was acknowledged, after which the pending
     * count they report is fresh.
     */
    private static Duration awaitDrained(Platform platform, Instant restarted) {
        Instant deadline = restarted.plus(DRAIN_BOUND);
        Map<String, String> last = new LinkedHashMap<>();
        while (Instant.now().isBefore(deadline)) {
            last.clear();
            for (String service : Platform.SERVICES) {
                Readiness readiness = readiness(platform.url(service));
                if (readiness.status != 200 || readiness.pending != 0) {
                    last.put(service, readiness.toString());
                }
            }
            if (last.isEmpty()) {
                return Duration.between(restarted, Instant.now());
            }
            Burst.sleep(250);
        }
        throw new AssertionError("backlog not drained within " + DRAIN_BOUND + " of the broker's return: " + last);
    }

    private static String downAfter(Map<String, Probes> probes) {
        List<String> seen = new ArrayList<>();
        probes.forEach((service, probe) -> seen.add(service + " " + probe.firstDown.toMillis() + " ms"));
        return String.join(", ", seen);
    }

    /** What one service said about itself while the broker was away. */
    private static final class Probes {
        Duration firstDown;
        boolean outboxDown;
        int samples;
        final List<String> readyAfterDown = new ArrayList<>();
        final List<String> notLive = new ArrayList<>();

        void probe(String url, Instant killed) {
            Readiness readiness = readiness(url);
            Duration since = Duration.between(killed, Instant.now());
            samples++;
            if (readiness.status == 503 && firstDown == null) {
                firstDown = since;
            } else if (readiness.status == 200 && firstDown != null) {
                readyAfterDown.add(since.toMillis() + " ms: " + readiness);
            }
            outboxDown |= "DOWN".equals(readiness.outbox);
            int live = status(url + "/q/health/live");
            if (live != 200) {
                notLive.add(since.toMillis() + " ms: " + live);
            }
        }

        @Override
        public String toString() {
            return "DOWN after " + firstDown + ", " + samples + " samples, outbox relay DOWN seen " + outboxDown
                    + ", ready again " + readyAfterDown + ", not live " + notLive;
        }
    }

    /** {@code /q/health/ready}: its status, the outbox relay check's status and pending count (0 when absent). */
    private record Readiness(int status, String outbox, long pending, String body) {
    }

    private static Readiness readiness(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonPath json = JsonPath.from(response.body());
            String outbox = json.getString("checks.find { it.name == 'outbox relay' }.status");
            Object pending = json.get("checks.find { it.name == 'outbox relay' }.data.pending");
            return new Readiness(response.statusCode(), outbox, pending == null ? 0 : ((Number) pending).longValue(),
                    response.body());
        } catch (IOException | RuntimeException e) {
            return new Readiness(-1, null, -1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Readiness(-1, null, -1, e.toString());
        }
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
