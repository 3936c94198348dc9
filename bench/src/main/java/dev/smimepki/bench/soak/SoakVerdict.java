package dev.smimepki.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the load was held: no error at all (warm-up and the tail included), every operation answered at least
 * {@link #RATE_HELD} of the calls its schedule made due in the measured window, every measured minute at least
 * {@link #MINUTE_HELD} of that minute's, and no service's memory grew. Memory grew when a figure rose by more than
 * {@link #GROWTH_SHARE} of its first value <em>and</em> more than {@link #GROWTH_MB}: the share alone would fail a
 * small heap for a few MB of noise, the absolute alone a large one for its normal breathing.
 */
public final class SoakVerdict {
    /** Answered calls / due calls of each operation over the measured window. */
    public static final double RATE_HELD = 0.95;
    /** Answered calls / due calls of all operations in each measured minute. */
    public static final double MINUTE_HELD = 0.90;
    public static final double GROWTH_SHARE = 0.20;
    public static final double GROWTH_MB = 32;

    /** One operation over the whole run: calls due and answered in the measured window, errors anywhere. */
    public record Operation(String operation, long due, long answered, long errors, String firstError) {
    }

    /** One measured minute, all operations together. */
    public record Minute(int minute, long due, long answered, long errors) {
    }

    /**
     * A memory figure of one service at the start and the end of the measurement.
     *
     * @param what e.g. "heap after forced GC" or "RSS (median of the minute)"
     */
    public record Memory(String service, String what, double firstMb, double lastMb) {
        public double growthMb() {
            return lastMb - firstMb;
        }
    }

    private SoakVerdict() {
    }

    /** Growth by both the share and the absolute threshold; a figure that could not be read is never "held". */
    public static boolean grew(double firstMb, double lastMb) {
        if (Double.isNaN(firstMb) || Double.isNaN(lastMb)) {
            return true;
        }
        double growth = lastMb - firstMb;
        return growth > GROWTH_MB && growth > GROWTH_SHARE * firstMb;
    }

    /** Every reason the soak failed; empty when the load was held. */
    public static List<String> failures(List<Operation> operations, List<Minute> minutes, List<Memory> memory) {
        List<String> failures = new ArrayList<>();
        for (Operation op : operations) {
            if (op.errors() > 0) {
                failures.add(op.operation() + ": " + op.errors() + " errors, first: " + op.firstError());
            }
            if (op.answered() < RATE_HELD * op.due()) {
                failures.add(String.format(Locale.ROOT, "%s: rate not held, %d of %d due calls answered (%.1f %%)",
                        op.operation(), op.answered(), op.due(), 100.0 * op.answered() / op.due()));
            }
        }
        for (Minute m : minutes) {
            if (m.answered() < MINUTE_HELD * m.due()) {
                failures.add(String.format(Locale.ROOT, "minute %d: rate not held, %d of %d due calls answered",
                        m.minute() + 1, m.answered(), m.due()));
            }
        }
        for (Memory figure : memory) {
            if (Double.isNaN(figure.firstMb()) || Double.isNaN(figure.lastMb())) {
                failures.add(figure.service() + ": " + figure.what() + " not measured");
            } else if (grew(figure.firstMb(), figure.lastMb())) {
                failures.add(String.format(Locale.ROOT, "%s: %s grew from %.1f MB to %.1f MB (+%.1f MB, +%.0f %%)",
                        figure.service(), figure.what(), figure.firstMb(), figure.lastMb(), figure.growthMb(),
                        100 * figure.growthMb() / figure.firstMb()));
            }
        }
        return failures;
    }
}
