package dev.smimepki.infra.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.smimepki.infra.KafkaBroker;
import dev.smimepki.infra.LocalPostgres;
import dev.smimepki.infra.Ports;

/** The test resources driven as Quarkus drives them (init, start, stop), without booting an application. */
class TestResourcesTest {

    @Test
    void kafkaResourceSharesOneBrokerPerJvmAndBringsItBackAfterAKill() {
        KafkaBrokerTestResource first = new KafkaBrokerTestResource();
        Map<String, String> config = first.start();
        KafkaBroker broker = KafkaBrokerTestResource.broker();
        assertEquals(Map.of("kafka.bootstrap.servers", broker.bootstrapServers()), config);
        assertTrue(Ports.isAcceptingConnections("127.0.0.1", broker.port(), Duration.ofSeconds(1)));
        first.stop();
        assertTrue(broker.isAlive(), "stop() leaves the JVM-wide broker running");

        broker.kill();
        KafkaBrokerTestResource second = new KafkaBrokerTestResource();
        assertEquals(config, second.start(), "same broker, same address");
        assertSame(broker, KafkaBrokerTestResource.broker());
        assertTrue(broker.isAlive());

        // what another class loader of this JVM would get: a handle on the same process
        KafkaBroker attached = KafkaBroker.attach(broker.workDir());
        assertEquals(broker.pid(), attached.pid());
        assertEquals(broker.bootstrapServers(), attached.bootstrapServers());
    }

    @Test
    void postgresResourceGivesEachApplicationAFreshDatabaseAndDropsIt() throws SQLException {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of(PostgresTestResource.SERVICE_ARG, "ca-service"));
        Map<String, String> config = resource.start();
        String database = resource.database();
        assertTrue(database.matches("test_ca_service_[0-9a-f]{8}"), database);

        LocalPostgres server = PostgresTestResource.server();
        assertEquals(server.jdbcUrl(database), config.get("quarkus.datasource.jdbc.url"));
        assertEquals(server.username(), config.get("quarkus.datasource.username"));
        assertEquals(server.password(), config.get("quarkus.datasource.password"));
        try (Connection connection = server.open(database)) {
            assertTrue(connection.isValid(2));
        }

        resource.stop();
        assertFalse(server.databaseExists(database));
    }
}
