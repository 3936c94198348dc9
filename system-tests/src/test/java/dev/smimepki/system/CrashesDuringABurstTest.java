package dev.smimepki.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of issuances, revocations and verifies of strangers' signed mail (harvests) while each of the four services
 * is killed with SIGKILL at random moments and restarted. Afterwards ca-service's own records are the truth: every
 * certificate it holds has exactly one issued event on the broker, every revoked one exactly one revoked event, is on
 * the CRL and is shown revoked by the directory; every verify answered with a harvest left exactly one harvested
 * certificate in the directory, each harvest event applied once.
 */
class CrashesDuringABurstTest {
    private static final List<String> VICTIMS = List.of("ca-service", "keystore-service", "crypto-service",
            "directory-service");
    private static final Duration BURST = Duration.ofSeconds(Integer.getInteger("pki.system.burst-seconds", 60));
    /** The burst goes on past {@link #BURST} until each service was killed once: restarts are slow on a loaded machine. */
    private static final Duration LONGEST_BURST = BURST.plusMinutes(4);
    private static final int CLIENTS = 2;
    private static final int STRANGERS = 12;

    @TempDir
    Path dir;

    @Test
    void nothingIsLostOrDuplicatedWhenServicesCrashMidBurst() throws Exception {
        Platform platform = Platform.get();
        String issuing = Burst.issuingCa(platform, "Chaos");
        StrangerMail strangers = StrangerMail.create(platform, dir, "chaos", STRANGERS);
        long seed = Long.getLong("pki.system.chaos-seed", System.nanoTime());
        Burst burst = new Burst(platform, issuing, Burst.csr(dir, "chaos"), strangers, "chaos", seed);

        Random random = new Random(seed);
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> kills = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger restarted = new AtomicInteger();
        Thread chaos = new Thread(() -> {
            List<String> round = new ArrayList<>();
            while (running.get()) {
                Burst.sleep(1_000 + random.nextInt(4_000));
                if (!running.get()) {
                    return;
                }
                if (round.isEmpty()) { // each service once per round, in random order
                    round.addAll(VICTIMS);
                    Collections.shuffle(round, random);
                }
                String victim = round.remove(0);
                ServiceProcess service = platform.service(victim);
                service.kill();
                kills.add(victim);
                service.start();
                service.awaitReady(Duration.ofSeconds(120));
                restarted.incrementAndGet();
            }
        }, "chaos");
        chaos.start();
        burst.start(CLIENTS);
        Instant start = Instant.now();
        Duration lasted;
        try {
            while (Instant.now().isBefore(start.plus(BURST))
                    || restarted.get() < VICTIMS.size() && Instant.now().isBefore(start.plus(LONGEST_BURST))) {
                Burst.sleep(500);
            }
        } finally {
            lasted = Duration.between(start, Instant.now());
            burst.stop();
            running.set(false);
            chaos.join(180_000);
        }
        for (String name : VICTIMS) {
            platform.service(name).awaitReady(Duration.ofSeconds(120));
        }
        assertEquals(Set.copyOf(VICTIMS), Set.copyOf(kills), "each service was killed during the burst: " + kills);

        Burst.Tally tally = burst.tally();
        assertTrue(tally.issued() > 10, "the burst issued certificates: " + tally);
        Burst.Checked certificates = burst.checkCertificates(dir);
        Burst.Checked harvests = burst.checkHarvests();
        System.out.printf("chaos (seed %d, %d s): %d requests, %d refused or cut off by a kill; answered %d issued, %d"
                + " revoked, %d harvested; ca-service holds %d certificates (%d revoked), %d certificate events"
                + " checked (%d distinct); %d strangers harvested, %d harvest events checked (%d distinct); kills"
                + " %s%n", seed, lasted.toSeconds(), tally.requests(), tally.refused(), tally.issued(), tally.revoked(),
                tally.harvested(),
                certificates.certificates(), certificates.revoked(), certificates.events(),
                certificates.distinctEvents(), harvests.strangers(), harvests.events(), harvests.distinctEvents(),
                kills);
    }
}
