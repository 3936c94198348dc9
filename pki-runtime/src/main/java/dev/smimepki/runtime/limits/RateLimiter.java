package dev.smimepki.runtime.limits;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import dev.smimepki.runtime.auth.Caller;

/**
 * Holds callers to the limits of {@link RateLimitConfig}: a token bucket per (operation, caller) and one per
 * operation for all callers together. Services call it before they start the expensive work.
 */
@ApplicationScoped
public class RateLimiter {
    /** Server-side key generation (ca-service issuance without a CSR). */
    public static final String KEY_GENERATION = "key-generation";
    /** A PKCS#12 file made for download: hundreds of thousands of PBKDF2 iterations (keystore-service). */
    public static final String PKCS12_EXPORT = "pkcs12-export";
    /** OCSP answers, public: keyed by client address (ca-service). */
    public static final String OCSP = "ocsp";

    private final RateLimitConfig config;
    private final Caller caller;
    private final HttpServerRequest request;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, TokenBucket> totals = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, TokenBucket>> perCaller = new ConcurrentHashMap<>();

    @Inject
    RateLimiter(RateLimitConfig config, Caller caller, HttpServerRequest request, RateLimitClock clock) {
        this(config, caller, request, clock::nanoTime);
    }

    RateLimiter(RateLimitConfig config, Caller caller, HttpServerRequest request, LongSupplier nanoClock) {
        this.config = config;
        this.caller = caller;
        this.request = request;
        this.nanoClock = nanoClock;
    }

    /** Counts an authenticated request against the caller (the token's mailbox or subject) unless its role is exempt. */
    public void acquireForCaller(String operation) {
        if (config.exemptRoles().stream().anyMatch(caller::hasRole)) {
            return;
        }
        acquire(operation, caller.name());
    }

    /** Counts a public request against the client's IP address. */
    public void acquireForClient(String operation) {
        SocketAddress address = request.remoteAddress();
        acquire(operation, address == null ? "unknown" : address.hostAddress());
    }

    /** Takes one request of {@code operation} for {@code key}; 429 when the caller's or the overall limit is spent. */
    void acquire(String operation, String key) {
        RateLimitConfig.Limit limit = config.operations().get(operation);
        if (limit == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        TokenBucket callerBucket = null;
        if (limit.perCaller() > 0) {
            callerBucket = callerBucket(operation, key, limit, now);
            if (callerBucket != null) {
                long wait = callerBucket.take(now);
                if (wait > 0) {
                    throw refused(operation + " is limited to " + limit.perCaller() + " requests per "
                            + limit.period() + " for each caller", wait);
                }
            }
        }
        if (limit.total() > 0) {
            TokenBucket total = totals.computeIfAbsent(operation,
                    name -> new TokenBucket(limit.total(), limit.period(), now));
            long wait = total.take(now);
            if (wait > 0) {
                if (callerBucket != null) {
                    callerBucket.giveBack();
                }
                throw refused(operation + " is limited to " + limit.total() + " requests per " + limit.period()
                        + " for all callers together", wait);
            }
        }
    }

    /** The caller's bucket; null when too many callers are tracked and none is idle enough to forget. */
    private TokenBucket callerBucket(String operation, String key, RateLimitConfig.Limit limit, long now) {
        ConcurrentMap<String, TokenBucket> buckets = perCaller.computeIfAbsent(operation,
                name -> new ConcurrentHashMap<>());
        TokenBucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= config.maxTrackedCallers()) {
            forgetIdle(buckets, now);
            if (buckets.size() >= config.maxTrackedCallers()) {
                return null;
            }
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(limit.perCaller(), limit.period(), now));
    }

    private static void forgetIdle(Map<String, TokenBucket> buckets, long now) {
        for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext();) {
            if (it.next().isFull(now)) {
                it.remove();
            }
        }
    }

    private static RateLimitedException refused(String detail, long waitNanos) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + TimeUnit.SECONDS.toNanos(1) - 1));
        return new RateLimitedException(detail + "; retry in " + seconds + " s", seconds);
    }
}
