package dev.smimepki.ca;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.test.TestTokens;

/** API.md roles: admins run CAs, users act on their own mailbox only, the public reads CA data without a token. */
@QuarkusTest
class AuthorizationTest {
    private static final String ALICE = "alice.auth@example.com";

    @Test
    void protectedEndpointsWantAValidToken() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        given().contentType(ContentType.JSON).body(request(ca, ALICE)).post("/api/v1/certificates").then()
                .statusCode(401).contentType("application/problem+json").body("type", equalTo(
                        "urn:smimepki:problem:unauthenticated"))
                .header("WWW-Authenticate", "Bearer");
        as(TestTokens.forged()).contentType(ContentType.JSON).body(request(ca, ALICE)).post("/api/v1/certificates")
                .then().statusCode(401).contentType("application/problem+json");
        given().get("/api/v1/certificates").then().statusCode(401);
    }

    @Test
    void aUserIssuesSearchesAndRevokesOnlyForTheirOwnMailbox() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        String alice = TestTokens.user(ALICE);

        String serial = as(alice).contentType(ContentType.JSON).body(request(ca, ALICE)).post("/api/v1/certificates")
                .then().statusCode(201).extract().path("serial");
        as(alice).contentType(ContentType.JSON).body(request(ca, ALICE, "mallory@example.com"))
                .post("/api/v1/certificates").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:smimepki:problem:not-owner"));
        as(alice).get("/api/v1/certificates").then().statusCode(200).body("items.serial", equalTo(List.of(serial)));
        as(alice).queryParam("email", "bob@example.com").get("/api/v1/certificates").then().statusCode(403);
        as(alice).get("/api/v1/certificates/" + serial).then().statusCode(200);

        String bob = TestTokens.user("bob.auth@example.com");
        as(bob).get("/api/v1/certificates/" + serial).then().statusCode(403);
        as(bob).contentType(ContentType.JSON).body(Map.of("reason", "keyCompromise"))
                .post("/api/v1/certificates/" + serial + "/revoke").then().statusCode(403);
        as(alice).contentType(ContentType.JSON).body(Map.of("reason", "keyCompromise"))
                .post("/api/v1/certificates/" + serial + "/revoke").then().statusCode(200)
                .body("status", equalTo("revoked"));
    }

    @Test
    void onlyAdminsCreateCas() {
        Map<String, Object> body = Map.of("name", "User Root", "subject", "CN=User Root", "keyAlgorithm", "EC_P256",
                "validityDays", 365);
        as(TestTokens.user(ALICE)).contentType(ContentType.JSON).body(body).post("/api/v1/cas").then()
                .statusCode(403).contentType("application/problem+json");
        as(TestTokens.service()).contentType(ContentType.JSON).body(body).post("/api/v1/cas").then()
                .statusCode(403);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/cas").then().statusCode(401);
    }

    @Test
    void caCertificatesCrlAndOcspArePublic() {
        CaApi.Hierarchy ca = CaApi.hierarchy(KeyAlgorithm.EC_P256);
        given().get("/api/v1/cas").then().statusCode(200);
        given().get("/api/v1/cas/" + ca.issuingId()).then().statusCode(200);
        given().get("/api/v1/cas/" + ca.issuingId() + "/certificate").then().statusCode(200);
        given().get("/api/v1/cas/" + ca.issuingId() + "/chain").then().statusCode(200);
        given().get("/crl/" + ca.issuingId()).then().statusCode(200);
    }

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    private static Map<String, Object> request(CaApi.Hierarchy ca, String... emails) {
        return Map.of("caId", ca.issuingId(), "emails", List.of(emails), "csr",
                CaApi.csr(KeyPairs.generate(KeyAlgorithm.EC_P256)));
    }
}
