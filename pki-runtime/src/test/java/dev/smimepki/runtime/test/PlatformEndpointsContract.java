package dev.smimepki.runtime.test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

/**
 * What every service promises besides its own API (API.md conventions): health, metrics, OpenAPI, and problem+json
 * for a path that does not exist. Each service's {@code @QuarkusTest} extends this.
 */
public abstract class PlatformEndpointsContract {

    @Test
    void liveAndReadyWithDatabaseAndBroker() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Database connections health check"))
                .body(containsString("outbox relay"));
    }

    @Test
    void metricsInPrometheusFormat() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("pki_outbox_pending"));
    }

    @Test
    void openApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200).body("openapi",
                containsString("3."));
    }

    @Test
    void unknownPathIsProblemJson() {
        given().get("/api/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("type", containsString("urn:smimepki:problem:"))
                .body(not(containsString("Exception")));
    }
}
