package dev.smimepki.ca;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.events.Topics;
import dev.smimepki.infra.KafkaBroker;
import dev.smimepki.infra.test.KafkaBrokerTestResource;
import dev.smimepki.infra.test.TopicReader;

/**
 * The broker dies under a running service: readiness says DOWN (quickly, not after a hang), issuance still commits,
 * and when the broker returns the service is ready again and the event written meanwhile reaches the broker once.
 */
@QuarkusTest
class BrokerOutageTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @AfterEach
    void brokerBack() {
        KafkaBroker broker = KafkaBrokerTestResource.broker();
        if (!broker.isAlive()) {
            broker.restart();
        }
    }

    @Test
    void readinessFollowsTheBrokerAndNoEventIsLost() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        awaitReadiness(200, Duration.ofSeconds(30));

        KafkaBroker broker = KafkaBrokerTestResource.broker();
        broker.kill();
        Instant killed = Instant.now();
        JsonPath down = awaitReadiness(503, Duration.ofSeconds(20));
        assertTrue(Duration.between(killed, Instant.now()).toSeconds() < 20, "DOWN within 20 s of the kill");
        assertEquals("DOWN", down.getString("checks.find { it.name == 'kafka broker' }.status"));
        given().get("/q/health/live").then().statusCode(200);

        CaApi.Issued issued = CaApi.issue(ca.issuingId(), KeyPairs.generate(KeyAlgorithm.EC_P256), null, null,
                "outage@example.com");

        broker.restart();
        awaitReadiness(200, Duration.ofSeconds(60));
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrapServers, Topics.CERTIFICATES,
                r -> issued.fingerprintSha256().equals(r.key()), 1, Duration.ofSeconds(60));
        assertEquals(1, records.size(), "the event committed during the outage is published once it is back");
    }

    private static JsonPath awaitReadiness(int status, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            var response = given().get("/q/health/ready");
            if (response.statusCode() == status) {
                return response.jsonPath();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("readiness did not become " + status + " within " + within + ": "
                        + response.asString());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
