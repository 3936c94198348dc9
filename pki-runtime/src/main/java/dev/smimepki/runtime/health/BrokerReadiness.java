package dev.smimepki.runtime.health;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Ready only while the Kafka broker answers, within a short bound: a probe must answer DOWN quickly while the broker
 * is away, not hang until the client gives up.
 */
@Readiness
@ApplicationScoped
class BrokerReadiness implements HealthCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final Admin admin;

    BrokerReadiness(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, applicationName + "-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
    }

    @Override
    public HealthCheckResponse call() {
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) TIMEOUT.toMillis())).nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named("kafka broker").up().withData("nodes", nodes.size()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return down("broker not reachable within " + TIMEOUT.toSeconds() + " s");
        }
    }

    private static HealthCheckResponse down(String why) {
        return HealthCheckResponse.named("kafka broker").down().withData("reason", why).build();
    }

    void close(@Observes ShutdownEvent shutdown) {
        admin.close(Duration.ofSeconds(1));
    }
}
