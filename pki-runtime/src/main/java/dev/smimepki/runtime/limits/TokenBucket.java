package dev.smimepki.runtime.limits;

import java.time.Duration;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code capacity} per {@code period}. Counted in
 * nanoseconds of credit (one token costs period/capacity), so refills are exact. Thread-safe.
 */
final class TokenBucket {
    private final long nanosPerToken;
    private final long maxCredit;
    private long credit;
    private long updatedAt;

    TokenBucket(int capacity, Duration period, long now) {
        this.nanosPerToken = Math.max(1, period.toNanos() / capacity);
        this.maxCredit = nanosPerToken * capacity;
        this.credit = maxCredit;
        this.updatedAt = now;
    }

    /** Takes a token: 0 when there was one, else the nanoseconds until there will be one (nothing is taken). */
    synchronized long take(long now) {
        refill(now);
        if (credit >= nanosPerToken) {
            credit -= nanosPerToken;
            return 0;
        }
        return nanosPerToken - credit;
    }

    /** Gives back a token taken by {@link #take} when a later check refused the request after all. */
    synchronized void giveBack() {
        credit = Math.min(maxCredit, credit + nanosPerToken);
    }

    /** Whether the bucket is full at {@code now}: its caller has been idle long enough to be forgotten. */
    synchronized boolean isFull(long now) {
        refill(now);
        return credit >= maxCredit;
    }

    private void refill(long now) {
        if (now > updatedAt) {
            credit = Math.min(maxCredit, credit + (now - updatedAt));
            updatedAt = now;
        }
    }
}
