package dev.smimepki.runtime.limits;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The token buckets, on a clock the test moves. */
class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aCallerOverItsLimitWaitsWhileOthersGoOn() {
        RateLimiter limiter = limiter(limit(3, 0, Duration.ofMinutes(1)), 100);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("export", "alice@example.org");
        }
        RateLimitedException refused = assertThrows(RateLimitedException.class,
                () -> limiter.acquire("export", "alice@example.org"));
        assertEquals(429, refused.toProblem().status());
        assertEquals("rate-limited", refused.code());
        // one request in three per minute: the next token is 20 s away
        assertEquals(20, refused.retryAfterSeconds());
        assertTrue(refused.getMessage().contains("3 requests per PT1M for each caller"), refused.getMessage());

        assertDoesNotThrow(() -> limiter.acquire("export", "bob@example.org"));

        now.addAndGet(Duration.ofSeconds(19).toNanos());
        assertThrows(RateLimitedException.class, () -> limiter.acquire("export", "alice@example.org"));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertDoesNotThrow(() -> limiter.acquire("export", "alice@example.org"));
        assertThrows(RateLimitedException.class, () -> limiter.acquire("export", "alice@example.org"));
    }

    @Test
    void theTotalHoldsEveryCallerAndARefusalCostsTheCallerNothing() {
        RateLimiter limiter = limiter(limit(2, 3, Duration.ofSeconds(3)), 100);
        limiter.acquire("export", "a");
        limiter.acquire("export", "b");
        limiter.acquire("export", "c");
        RateLimitedException refused = assertThrows(RateLimitedException.class,
                () -> limiter.acquire("export", "d"));
        assertTrue(refused.getMessage().contains("for all callers together"), refused.getMessage());
        assertEquals(1, refused.retryAfterSeconds());

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        // d's refused request did not use up its own bucket
        limiter.acquire("export", "d");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        limiter.acquire("export", "d");
    }

    @Test
    void anOperationWithoutLimitsIsNeverRefused() {
        RateLimiter limiter = limiter(limit(1, 1, Duration.ofHours(1)), 100);
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("ocsp", "127.0.0.1");
        }
    }

    @Test
    void idleCallersAreForgottenAndAFullTableFallsBackToTheTotal() {
        RateLimiter limiter = limiter(limit(1, 0, Duration.ofSeconds(10)), 2);
        limiter.acquire("export", "a");
        limiter.acquire("export", "b");
        // the table is full and nobody is idle: c is held only to the total, which is unlimited here
        limiter.acquire("export", "c");
        limiter.acquire("export", "c");
        assertThrows(RateLimitedException.class, () -> limiter.acquire("export", "a"));

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        // a and b are idle again and make room; c is now tracked
        limiter.acquire("export", "c");
        assertThrows(RateLimitedException.class, () -> limiter.acquire("export", "c"));
    }

    private RateLimiter limiter(RateLimitConfig.Limit export, int maxTracked) {
        RateLimitConfig config = new RateLimitConfig() {
            @Override
            public Set<String> exemptRoles() {
                return Set.of("pki-admin");
            }

            @Override
            public Map<String, Limit> operations() {
                return Map.of("export", export);
            }

            @Override
            public int maxTrackedCallers() {
                return maxTracked;
            }
        };
        return new RateLimiter(config, null, null, now::get);
    }

    private static RateLimitConfig.Limit limit(int perCaller, int total, Duration period) {
        return new RateLimitConfig.Limit() {
            @Override
            public int perCaller() {
                return perCaller;
            }

            @Override
            public int total() {
                return total;
            }

            @Override
            public Duration period() {
                return period;
            }
        };
    }
}
