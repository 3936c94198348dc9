package dev.smimepki.crypto;

import io.quarkus.test.common.QuarkusTestResource;

import dev.smimepki.infra.test.KafkaBrokerTestResource;
import dev.smimepki.infra.test.PostgresTestResource;

/** Every test of this service runs against a real PostgreSQL and a real Kafka broker. */
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
class RealInfrastructure {
}
