package dev.smimepki.runtime.test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import dev.smimepki.runtime.limits.RateLimitClock;

/** A rate-limit clock that stands still until a test moves it: no refill happens while a test counts. */
@Alternative
@ApplicationScoped
public class ManualRateLimitClock extends RateLimitClock {
    private static final AtomicLong NOW = new AtomicLong();

    @Override
    public long nanoTime() {
        return NOW.get();
    }

    public static void advance(Duration duration) {
        NOW.addAndGet(duration.toNanos());
    }
}
