package dev.smimepki.bench.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: {@code threads} callers each send the next operation as soon as the previous one answered, until
 * {@code maxOps} operations were started or {@code duration} passed. Throughput counts successful operations only.
 */
public final class LoadRunner {
    /** One operation; {@code index} is unique per run (0, 1, 2, ...), e.g. to pick the n-th CSR. */
    @FunctionalInterface
    public interface Operation {
        void run(long index) throws Exception;
    }

    private LoadRunner() {
    }

    public static Figure run(String id, String label, int threads, Duration duration, long maxOps, long bytesPerOp,
            Operation operation) {
        Latencies latencies = new Latencies();
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                callers.add(pool.submit(() -> {
                    Latencies mine = new Latencies();
                    while (System.nanoTime() < deadline) {
                        long index = next.getAndIncrement();
                        if (index >= maxOps) {
                            break;
                        }
                        long began = System.nanoTime();
                        try {
                            operation.run(index);
                            mine.record(System.nanoTime() - began);
                        } catch (Exception | AssertionError e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                    latencies.addAll(mine);
                    return null;
                }));
            }
            for (Future<?> caller : callers) {
                caller.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("load run " + id + " failed", e);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long ok = latencies.count();
        double throughput = bytesPerOp > 0 ? ok * (double) bytesPerOp / 1e6 / seconds : ok / seconds;
        return new Figure(id, "platform", label, bytesPerOp > 0 ? "MB/s" : "ops/s", throughput,
                latencies.percentileMillis(50), latencies.percentileMillis(95), latencies.percentileMillis(99), ok,
                errors.get(), threads, Double.NaN, firstError.get());
    }
}
