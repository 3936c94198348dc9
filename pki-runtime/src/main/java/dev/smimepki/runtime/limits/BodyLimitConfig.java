package dev.smimepki.runtime.limits;

import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How large a request body may be, per path. A body whose Content-Length is larger is answered 413 problem+json
 * before a byte of it reaches the service. Keep {@code quarkus.http.limits.max-body-size} at least as large as the
 * largest limit here: Quarkus' own check runs after this one and answers a bare 413.
 */
@ConfigMapping(prefix = "pki.http.body-limit")
public interface BodyLimitConfig {
    /**
     * The limit of every path without an entry in {@link #paths()}: JSON requests, CSRs, OCSP requests. Sizes as
     * Quarkus reads them ({@code 64K}, {@code 2M}, or bytes).
     */
    @WithDefault("64K")
    MemorySize defaultMax();

    /**
     * Limits of the paths that take larger bodies, by path prefix (the longest matching prefix wins; a prefix matches
     * itself and what lies below it after a {@code /}), e.g. {@code pki.http.body-limit.paths."/api/v1/cas/import"=2M}.
     * A body sent chunked (without Content-Length) is counted as it arrives and refused with the same 413 past the
     * limit when the limit is at most 4 MiB (a multipart one is parsed as it arrives); otherwise Quarkus cuts it off with a bare
     * 413 shortly after the limit (64 KiB later), unless the endpoint counts the stream itself and answers
     * problem+json first, as the S/MIME endpoints do.
     */
    Map<String, MemorySize> paths();

    /**
     * How long a chunked body read whole (see {@link #paths()}) may take to arrive; past it the request is answered
     * 408 problem+json and its connection closed, as Quarkus' read timeout does for the bodies it streams.
     */
    @WithDefault("60s")
    Duration chunkedReadTimeout();
}
