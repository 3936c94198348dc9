package dev.smimepki.directory;

import io.quarkus.test.common.QuarkusTestResource;

import dev.smimepki.infra.test.KafkaBrokerTestResource;
import dev.smimepki.infra.test.PostgresTestResource;
import dev.smimepki.runtime.test.TestTokens;

/** Every test of this service runs against a real PostgreSQL and a real Kafka broker, with real bearer tokens. */
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class RealInfrastructure {
}
