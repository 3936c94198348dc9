package dev.smimepki.bench.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import com.unboundid.ldap.sdk.LDAPException;

import dev.smimepki.bench.compare.LdapSearcher;
import dev.smimepki.bench.platform.PlatformClient;

/**
 * Issuance to visible in the directory at a sustained rate: issuances are started on a fixed schedule (open loop, so
 * a slow platform cannot slow the schedule down and hide its queueing), then the directory is searched over LDAP
 * every {@link #POLL} until its entry for the address carries the certificate, as a mail client would find it. The
 * latency runs from the scheduled start of the issuance: database commit, outbox relay, Kafka, the directory's
 * consumer and commit, and at most one poll interval plus the searches before it.
 */
final class EventLatency {
    static final Duration POLL = Duration.ofMillis(10);
    static final Duration GIVE_UP = Duration.ofSeconds(30);

    private EventLatency() {
    }

    /** Addresses per LDAP search: the directory's limit per filter (pki.directory.ldap.max-addresses-per-search). */
    static final int PER_SEARCH = 50;

    static Figure run(PlatformClient client, LdapSearcher ldap, UUID ca, List<String> csrs, int rate,
            Duration duration, String tag) throws InterruptedException {
        int total = (int) Math.max(1, rate * duration.toSeconds());
        Scenarios.say("event latency: " + total + " issuances at " + rate + "/s, the directory searched over LDAP"
                + " every " + POLL.toMillis() + " ms for every address not yet visible");
        Latencies latencies = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicLong issuedOk = new AtomicLong();
        AtomicLong lastIssued = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(total);
        Map<String, Long> pending = new ConcurrentHashMap<>();
        ExecutorService issuers = Executors.newFixedThreadPool(64);
        Thread poller = new Thread(() -> watch(ldap, pending, latencies, errors, firstError, done),
                "event-latency-poller");
        poller.setDaemon(true);
        poller.start();
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < total; i++) {
                long scheduled = start + i * period;
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int index = i;
                issuers.execute(() -> {
                    String email = "e" + index + "-" + tag + "@bench.example";
                    try {
                        client.issueFromCsr(ca, email, csrs.get(index % csrs.size()));
                        issuedOk.incrementAndGet();
                        lastIssued.accumulateAndGet(System.nanoTime(), Math::max);
                        pending.put(email, scheduled);
                    } catch (Exception e) {
                        fail(errors, firstError, done, e.getMessage());
                    }
                });
            }
            done.await(duration.toSeconds() + GIVE_UP.toSeconds() + 60, TimeUnit.SECONDS);
        } finally {
            issuers.shutdownNow();
            poller.interrupt();
        }
        double issuingSeconds = (Math.max(lastIssued.get(), start + 1) - start) / 1e9;
        return new Figure("events.issued-to-directory", "platform",
                "issuance visible in the directory (" + rate + "/s offered)", "ops/s",
                issuedOk.get() / issuingSeconds, latencies.percentileMillis(50), latencies.percentileMillis(95),
                latencies.percentileMillis(99), latencies.count(), errors.get(), 64, Double.NaN,
                firstError.get() != null
                        ? firstError.get()
                        : rate + "/s offered, LDAP searched every " + POLL.toMillis() + " ms");
    }

    /**
     * One thread: every {@link #POLL}, searches for all addresses issued and not yet visible, {@link #PER_SEARCH} per
     * search, and records each one found. A poller per address (as before) loaded the directory with hundreds of
     * concurrent HTTP look-ups once a backlog formed, and so measured its own load.
     */
    private static void watch(LdapSearcher ldap, Map<String, Long> pending, Latencies latencies, AtomicLong errors,
            AtomicReference<String> firstError, CountDownLatch done) {
        while (!Thread.currentThread().isInterrupted() && done.getCount() > 0) {
            List<String> waiting = new ArrayList<>(pending.keySet());
            for (int from = 0; from < waiting.size(); from += PER_SEARCH) {
                List<String> batch = waiting.subList(from, Math.min(waiting.size(), from + PER_SEARCH));
                try {
                    long now = System.nanoTime();
                    for (String email : ldap.withCertificate(batch)) {
                        Long scheduled = pending.remove(email);
                        if (scheduled != null) {
                            latencies.record(now - scheduled);
                            done.countDown();
                        }
                    }
                } catch (LDAPException e) {
                    batch.forEach(pending::remove);
                    batch.forEach(email -> fail(errors, firstError, done, "LDAP search: " + e.getMessage()));
                }
            }
            long now = System.nanoTime();
            pending.forEach((email, scheduled) -> {
                if (now - scheduled > GIVE_UP.toNanos() && pending.remove(email) != null) {
                    fail(errors, firstError, done, email + " not visible after " + GIVE_UP.toSeconds() + " s");
                }
            });
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private static void fail(AtomicLong errors, AtomicReference<String> firstError, CountDownLatch done,
            String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
        done.countDown();
    }
}
