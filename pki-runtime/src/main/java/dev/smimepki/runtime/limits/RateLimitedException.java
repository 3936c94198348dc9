package dev.smimepki.runtime.limits;

import java.util.List;

import dev.smimepki.runtime.problem.ProblemException;

/** 429: a caller asked for an expensive operation more often than its limit; it may retry after the given time. */
public class RateLimitedException extends ProblemException {
    private final long retryAfterSeconds;

    RateLimitedException(String detail, long retryAfterSeconds) {
        super(Kind.TOO_MANY_REQUESTS, "rate-limited", detail, List.of(), null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds until a retry may succeed (the Retry-After header, RFC 9110 section 10.2.3); at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
