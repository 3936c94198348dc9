package dev.smimepki.runtime.limits;

import jakarta.enterprise.context.ApplicationScoped;

/** The time the rate limits refill by; a bean so that a test can replace it with a clock it moves. */
@ApplicationScoped
public class RateLimitClock {
    /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    public long nanoTime() {
        return System.nanoTime();
    }
}
