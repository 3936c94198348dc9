package dev.smimepki.runtime.outbox;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the relay has failed to reach the broker for a while: events are piling up, not lost. */
@Readiness
@ApplicationScoped
class OutboxReadiness implements HealthCheck {
    private static final Duration GRACE = Duration.ofSeconds(10);
    private final OutboxRelay relay;

    OutboxReadiness(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        Instant failingSince = relay.failingSince();
        boolean up = failingSince == null || failingSince.plus(GRACE).isAfter(Instant.now());
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox relay").status(up)
                .withData("pending", relay.pending());
        if (failingSince != null) {
            response.withData("failingSince", failingSince.toString())
                    .withData("lastError", String.valueOf(relay.lastError()));
        }
        return response.build();
    }
}
