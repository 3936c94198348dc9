package dev.smimepki.bench.driver;

import java.util.Arrays;

/**
 * Latency samples of one scenario, in nanoseconds, and their percentiles. Every sample is kept (a quick run records
 * at most a few hundred thousand), so the percentiles are exact nearest-rank values, not histogram buckets.
 */
public final class Latencies {
    private long[] samples = new long[1024];
    private int size;
    private boolean sorted = true;

    public synchronized void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative latency " + nanos);
        }
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
        sorted = false;
    }

    public synchronized void addAll(Latencies other) {
        long[] theirs;
        synchronized (other) {
            theirs = Arrays.copyOf(other.samples, other.size);
        }
        for (long sample : theirs) {
            record(sample);
        }
    }

    public synchronized int count() {
        return size;
    }

    /**
     * The nearest-rank percentile: the smallest sample such that at least {@code percent}% of the samples are at or
     * below it. {@code percentile(50)} of 1..100 is 50, {@code percentile(99)} is 99, {@code percentile(100)} the max.
     */
    public synchronized long percentile(double percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percent);
        }
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        if (!sorted) {
            Arrays.sort(samples, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(percent / 100.0 * size);
        return samples[Math.max(0, rank - 1)];
    }

    /** A percentile in milliseconds, or NaN without samples (a scenario where every call failed). */
    public double percentileMillis(double percent) {
        return count() == 0 ? Double.NaN : percentile(percent) / 1_000_000.0;
    }
}
