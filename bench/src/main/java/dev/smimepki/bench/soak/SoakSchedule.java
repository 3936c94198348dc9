package dev.smimepki.bench.soak;

import java.time.Duration;
import java.util.List;

/**
 * What the soak offers the platform: each operation at a fixed rate, open loop (the {@code i}-th call of an operation
 * is due at {@code start + i / rate} whatever the platform answers, so a slow platform cannot slow the schedule down
 * and hide its queueing), for a warm-up and then the measured minutes.
 *
 * @param rates one entry per operation
 * @param warmup load before the measurement starts (JIT, pools, caches); not in the figures, its errors still count
 * @param measured the measured minutes
 */
public record SoakSchedule(List<Rate> rates, Duration warmup, Duration measured) {

    /**
     * One operation's rate.
     *
     * @param operation its name in the tables
     * @param perSecond calls offered per second
     * @param benchPerSecond what the quick bench measured for this operation alone (closed loop, 8 callers, the whole
     *        machine), or, for the operations the bench does not measure, the figure of the one it is priced like
     * @param pricedLike null when {@code benchPerSecond} is the operation's own figure, else the figure used
     */
    public record Rate(String operation, double perSecond, double benchPerSecond, String pricedLike) {
        public Rate {
            if (!(perSecond > 0) || !(benchPerSecond > 0)) {
                throw new IllegalArgumentException(operation + ": rates must be positive");
            }
        }

        /** When the {@code index}-th call is due, in nanoseconds after the start. */
        public long dueNanos(long index) {
            return (long) Math.ceil(index * 1e9 / perSecond);
        }

        /** How many calls are due in {@code [fromNanos, toNanos)} after the start. */
        public long dueBetween(long fromNanos, long toNanos) {
            return firstAtOrAfter(toNanos) - firstAtOrAfter(Math.max(0, fromNanos));
        }

        /** The share of the whole machine this rate asks for, as the quick bench measured the operation alone. */
        public double machineShare() {
            return perSecond / benchPerSecond;
        }

        /** The first index due at or after {@code nanos}. */
        private long firstAtOrAfter(long nanos) {
            long index = (long) Math.floor(nanos / 1e9 * perSecond);
            while (index > 0 && dueNanos(index - 1) >= nanos) {
                index--;
            }
            while (dueNanos(index) < nanos) {
                index++;
            }
            return index;
        }
    }

    /**
     * The soak's mix. The bench figures are those of the quick run in docs/benchmarks.md (each operation alone
     * saturating both cores); each rate is 1-2 % of its figure, and together they ask for {@link #machineShare()} =
     * 0.10 of the machine. It was first set four times higher (0.40, "half the machine" with room to spare); on this
     * 2-core machine shared with other builds (load average 30-60) twice these rates already fell behind with errors
     * and p99 over 10 s, so the mix was lowered to what held there. {@code --rate-scale} raises it on a quiet machine.
     */
    public static final List<Rate> MIX = List.of(
            new Rate("issue-csr", 2.5, 135, null),
            new Rate("keygen-ec", 0.5, 78, null),
            new Rate("pkcs12-legacy", 0.1, 14.6, null),
            new Rate("pkcs12-modern", 0.025, 2.3, null),
            new Rate("lookup-http", 12.5, 2291, null),
            new Rate("lookup-ldap", 12.5, 4112, null),
            new Rate("sign", 1.25, 104, null),
            new Rate("verify", 1.25, 112, null),
            new Rate("encrypt", 1.25, 223, null),
            new Rate("decrypt", 1.25, 175, null),
            new Rate("revoke", 0.25, 135, "issue-csr"),
            new Rate("crl", 0.25, 135, "issue-csr"),
            new Rate("ocsp", 1.25, 135, "issue-csr"));

    public SoakSchedule {
        rates = List.copyOf(rates);
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("no operations");
        }
        if (warmup.isNegative() || measured.toSeconds() < 60 || measured.toSeconds() % 60 != 0) {
            throw new IllegalArgumentException("the measurement is whole minutes (at least one), the warm-up >= 0");
        }
    }

    /** The mix for {@code minutes} measured minutes, every rate multiplied by {@code scale}. */
    public static SoakSchedule of(int minutes, Duration warmup, double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("the rate scale must be positive, got " + scale);
        }
        return new SoakSchedule(MIX.stream()
                .map(r -> new Rate(r.operation(), r.perSecond() * scale, r.benchPerSecond(), r.pricedLike()))
                .toList(), warmup, Duration.ofMinutes(minutes));
    }

    /** The same schedule without some operations (issue-csr and revoke stay: the others feed on them). */
    public SoakSchedule without(String... operations) {
        List<String> left = List.of(operations);
        if (left.contains("issue-csr") || left.contains("revoke")) {
            throw new IllegalArgumentException("issue-csr and revoke cannot be left out");
        }
        return new SoakSchedule(rates.stream().filter(r -> !left.contains(r.operation())).toList(), warmup,
                measured);
    }

    public int minutes() {
        return (int) measured.toMinutes();
    }

    /** The sum of every rate's share of the machine: 1.0 would ask for everything the quick bench measured. */
    public double machineShare() {
        return rates.stream().mapToDouble(Rate::machineShare).sum();
    }

    /** Calls offered per second, all operations together. */
    public double perSecond() {
        return rates.stream().mapToDouble(Rate::perSecond).sum();
    }

    /** Calls of every operation due in {@code [fromNanos, toNanos)} after the start. */
    public long dueBetween(long fromNanos, long toNanos) {
        return rates.stream().mapToLong(r -> r.dueBetween(fromNanos, toNanos)).sum();
    }

    /** The start of the measurement, in nanoseconds after the start of the load. */
    public long measureStartNanos() {
        return warmup.toNanos();
    }

    /** The start of measured minute {@code minute} (0-based); {@code minute == minutes()} is the end. */
    public long minuteStartNanos(int minute) {
        return warmup.toNanos() + Duration.ofMinutes(minute).toNanos();
    }
}
