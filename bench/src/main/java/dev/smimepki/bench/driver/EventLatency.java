package dev.smimepki.bench.driver;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.smimepki.bench.platform.PlatformClient;

/**
 * Issuance to visible in the directory at a sustained rate: issuances are started on a fixed schedule (open loop, so
 * a slow platform cannot slow the schedule down and hide its queueing), then the directory is polled over HTTP every
 * {@link #POLL} until it has a certificate to encrypt to for the address ({@code GET .../certificate} answers 200;
 * the entry itself answers 200 for any address). The latency runs from the scheduled start of the issuance: database
 * commit, outbox relay, Kafka, the directory's consumer and commit, and at most one poll interval.
 */
final class EventLatency {
    static final Duration POLL = Duration.ofMillis(10);
    static final Duration GIVE_UP = Duration.ofSeconds(30);

    private EventLatency() {
    }

    static Figure run(PlatformClient client, UUID ca, List<String> csrs, int rate, Duration duration, String tag)
            throws InterruptedException {
        int total = (int) Math.max(1, rate * duration.toSeconds());
        Scenarios.say("event latency: " + total + " issuances at " + rate + "/s, directory polled every "
                + POLL.toMillis() + " ms");
        Latencies latencies = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicLong issuedOk = new AtomicLong();
        AtomicLong lastIssued = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(total);
        ExecutorService issuers = Executors.newFixedThreadPool(64);
        ScheduledExecutorService pollers = Executors.newScheduledThreadPool(4);
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
                        poll(client, pollers, email, scheduled, latencies, errors, firstError, done);
                    } catch (Exception e) {
                        fail(errors, firstError, done, e.getMessage());
                    }
                });
            }
            done.await(duration.toSeconds() + GIVE_UP.toSeconds() + 60, TimeUnit.SECONDS);
        } finally {
            issuers.shutdownNow();
            pollers.shutdownNow();
        }
        double issuingSeconds = (Math.max(lastIssued.get(), start + 1) - start) / 1e9;
        return new Figure("events.issued-to-directory", "platform",
                "issuance visible in the directory (" + rate + "/s offered)", "ops/s",
                issuedOk.get() / issuingSeconds, latencies.percentileMillis(50), latencies.percentileMillis(95),
                latencies.percentileMillis(99), latencies.count(), errors.get(), 64, Double.NaN,
                firstError.get() != null
                        ? firstError.get()
                        : rate + "/s offered, polled every " + POLL.toMillis()
                                + " ms");
    }

    private static void poll(PlatformClient client, ScheduledExecutorService pollers, String email, long scheduled,
            Latencies latencies, AtomicLong errors, AtomicReference<String> firstError, CountDownLatch done) {
        pollers.schedule(() -> {
            try {
                if (client.visible(email)) {
                    latencies.record(System.nanoTime() - scheduled);
                    done.countDown();
                } else if (System.nanoTime() - scheduled > GIVE_UP.toNanos()) {
                    fail(errors, firstError, done, email + " not visible after " + GIVE_UP.toSeconds() + " s");
                } else {
                    poll(client, pollers, email, scheduled, latencies, errors, firstError, done);
                }
            } catch (Exception e) {
                fail(errors, firstError, done, e.getMessage());
            }
        }, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void fail(AtomicLong errors, AtomicReference<String> firstError, CountDownLatch done,
            String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
        done.countDown();
    }
}
