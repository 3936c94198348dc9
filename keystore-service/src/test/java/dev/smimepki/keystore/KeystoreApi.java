package dev.smimepki.keystore;

import static io.restassured.RestAssured.given;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.runtime.test.TestTokens;

/** The keystore's HTTP API as tests call it. */
public final class KeystoreApi {
    private KeystoreApi() {
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    public static RequestSpecification service() {
        return as(TestTokens.service());
    }

    /**
     * A generated key.
     *
     * @param keyId its id
     * @param publicKey its public key
     */
    public record Generated(String keyId, PublicKey publicKey) {
    }

    public static Generated generate(KeyAlgorithm algorithm, String... emails) {
        ValidatableResponse response = service().contentType(ContentType.JSON)
                .body(Map.of("keyAlgorithm", algorithm.name(), "emails", List.of(emails)))
                .post("/internal/v1/keys").then().statusCode(201);
        return new Generated(response.extract().path("keyId"), KeyPairs.publicKeyFromDer(Pem.decodeOne(
                response.extract().path("publicKeyPem"), PemType.PUBLIC_KEY)));
    }

    /** A certificate from the test PKI for a generated key (the private key stays in the keystore). */
    public static EndEntity certify(Generated key, EndEntitySpec spec) {
        return TestPki.shared().issue(spec.keyPair(new KeyPair(key.publicKey(), null)));
    }

    /** Generates a key, has it certified and sends the issued event; returns once the certificate is bound. */
    public static EndEntity generateAndBind(CertificateEvents events, KeyAlgorithm algorithm, String... emails) {
        Generated key = generate(algorithm, emails);
        EndEntity entity = certify(key, EndEntitySpec.forEmails(emails).keyAlgorithm(algorithm));
        events.send(CertificateEvents.issued(entity, key.keyId()));
        CertificateEvents.await(() -> bound(entity));
        return entity;
    }

    /** Whether the keystore finds a key for the certificate (SKI look-up). */
    public static boolean bound(EndEntity entity) {
        return service().contentType(ContentType.JSON)
                .body(Map.of("subjectKeyIdentifier", Base64.getEncoder().encodeToString(
                        entity.certificate().subjectKeyIdentifier().orElseThrow())))
                .post("/internal/v1/keys/find").statusCode() == 200;
    }

    public static String keyIdOf(EndEntity entity) {
        return service().contentType(ContentType.JSON)
                .body(Map.of("subjectKeyIdentifier", Base64.getEncoder().encodeToString(
                        entity.certificate().subjectKeyIdentifier().orElseThrow())))
                .post("/internal/v1/keys/find").then().statusCode(200).extract().path("keyId");
    }
}
