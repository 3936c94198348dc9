package dev.smimepki.crypto;

import io.quarkus.test.common.QuarkusTestResource;

import dev.smimepki.infra.test.KafkaBrokerTestResource;
import dev.smimepki.infra.test.PostgresTestResource;
import dev.smimepki.runtime.test.TestTokens;

/**
 * Every test of this service runs against a real PostgreSQL, a real Kafka broker, real bearer-token verification and
 * an HTTP stand-in for keystore-service.
 */
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeKeystore.class, restrictToAnnotatedClass = false)
class RealInfrastructure {
}
