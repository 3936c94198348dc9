package dev.smimepki.runtime.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How often the expensive operations may be asked for: key generation, PKCS#12 export, OCSP. Each is a token bucket
 * that refills continuously: {@code per-caller} requests per {@code period} for one caller, {@code total} for all
 * callers together, and a burst up to the same numbers. A request over a limit is answered 429 problem+json with a
 * Retry-After header.
 */
@ConfigMapping(prefix = "pki.rate-limit")
public interface RateLimitConfig {
    /**
     * Callers holding one of these roles are never limited: administrators (who run the CA and the benchmarks) and
     * the platform's own services, whose calls a user's limit has already been counted against.
     */
    @WithDefault("pki-admin,pki-service")
    Set<String> exemptRoles();

    /**
     * The limits by operation name: {@code key-generation} (ca-service, issuance without a CSR),
     * {@code pkcs12-export} (keystore-service), {@code ocsp} (ca-service, keyed by client address). An operation
     * without an entry is not limited. Example: {@code pki.rate-limit.operations.pkcs12-export.per-caller=10}.
     */
    Map<String, Limit> operations();

    /**
     * Most callers tracked per operation; idle callers (whose bucket is full again) are forgotten first. Beyond it a
     * new caller is held only to the operation's total.
     */
    @WithDefault("10000")
    int maxTrackedCallers();

    /** One operation's limits. */
    interface Limit {
        /**
         * Requests one caller may make per period: the token's mailbox or subject, or the client's IP address on
         * public endpoints (the proxy's, unless {@code quarkus.http.proxy.proxy-address-forwarding} is on). 0: no
         * limit per caller.
         */
        @WithDefault("0")
        int perCaller();

        /** Requests all callers together may make per period. 0: no overall limit. */
        @WithDefault("0")
        int total();

        /** The period the numbers are counted over; a caller that used up its requests waits period/number. */
        @WithDefault("PT1M")
        Duration period();
    }
}
