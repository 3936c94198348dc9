package dev.smimepki.keystore.keys;

import static dev.smimepki.keystore.KeystoreApi.as;
import static dev.smimepki.keystore.KeystoreApi.service;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.keystore.CertificateEvents;
import dev.smimepki.keystore.DatabaseScan;
import dev.smimepki.keystore.KeystoreApi;
import dev.smimepki.keystore.KeystoreApi.Generated;
import dev.smimepki.runtime.test.TestTokens;

/** The internal API ca-service and crypto-service code against, checked with openssl as the referee. */
@QuarkusTest
class InternalKeyApiTest {
    private static CertificateEvents events;

    @Inject
    KeyVault vault;

    @Inject
    AgroalDataSource dataSource;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        events = new CertificateEvents();
    }

    @AfterAll
    static void disconnect() {
        events.close();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void generatedKeyIsStoredEncryptedAndNowhereInClear(KeyAlgorithm algorithm) throws Exception {
        Generated key = KeystoreApi.generate(algorithm, "Gen.User@Example.ORG");
        assertEquals(algorithm, KeyAlgorithm.of(key.publicKey()), "the public key is of the requested type");

        // committed before the answer: a new transaction sees it
        StoredKey stored = QuarkusTransaction.requiringNew().call(() -> vault.require(UUID.fromString(key.keyId())));
        assertEquals(Set.of("Gen.User@example.org"), stored.emails);
        byte[] pkcs8 = vault.withPrivateKey(stored, info -> encoded(info));
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
        byte[] secret = algorithm.isRsa()
                ? RSAPrivateKey.getInstance(info.parsePrivateKey()).getPrivateExponent().toByteArray()
                : ECPrivateKey.getInstance(info.parsePrivateKey()).getKey().toByteArray();

        List<String> tables = DatabaseScan.tables(dataSource);
        assertTrue(tables.containsAll(List.of("stored_key", "stored_key_email", "audit_chain")), tables.toString());
        assertTrue(DatabaseScan.rows(dataSource) > 0);
        assertEquals(List.of(), DatabaseScan.occurrences(dataSource, pkcs8),
                "the PKCS#8 encoding appears nowhere in the database");
        assertEquals(List.of(), DatabaseScan.occurrences(dataSource, secret),
                "the private exponent or scalar appears nowhere in the database");
        // and the scan does find what is there: the public key
        assertTrue(DatabaseScan.occurrences(dataSource, key.publicKey().getEncoded())
                .contains("stored_key.public_key_der"));
    }

    @Test
    void rsaSignaturesVerifyWithOpenssl() throws Exception {
        Generated key = KeystoreApi.generate(KeyAlgorithm.RSA_2048, "rsa.signer@example.org");
        Path publicKey = Files.writeString(dir.resolve("rsa.pub.pem"),
                Pem.encode(PemType.PUBLIC_KEY, key.publicKey().getEncoded()));
        for (String digestAlgorithm : List.of("SHA_256", "SHA_384", "SHA_512")) {
            byte[] digest = digest(digestAlgorithm);
            String md = digestAlgorithm.replace("SHA_", "sha");
            verify(publicKey, digest, sign(key, "RSA_PKCS1", digestAlgorithm, digest), "-pkeyopt", "digest:" + md);
            verify(publicKey, digest, sign(key, "RSA_PSS", digestAlgorithm, digest), "-pkeyopt", "digest:" + md,
                    "-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:digest",
                    "-pkeyopt", "rsa_mgf1_md:" + md);
        }
        // A PSS signature is randomised, PKCS#1 v1.5 deterministic: two signatures show which one ran.
        byte[] digest = digest("SHA_256");
        assertArrayEquals(sign(key, "RSA_PKCS1", "SHA_256", digest), sign(key, "RSA_PKCS1", "SHA_256", digest));
        assertTrue(!Arrays.equals(sign(key, "RSA_PSS", "SHA_256", digest),
                sign(key, "RSA_PSS", "SHA_256", digest)));
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384"})
    void ecdsaSignaturesVerifyWithOpenssl(KeyAlgorithm algorithm) throws Exception {
        Generated key = KeystoreApi.generate(algorithm, "ec.signer@example.org");
        Path publicKey = Files.writeString(dir.resolve("ec.pub.pem"),
                Pem.encode(PemType.PUBLIC_KEY, key.publicKey().getEncoded()));
        for (String digestAlgorithm : List.of("SHA_256", "SHA_384", "SHA_512")) {
            byte[] digest = digest(digestAlgorithm);
            verify(publicKey, digest, sign(key, "ECDSA", digestAlgorithm, digest));
        }
    }

    @Test
    void signRefusesMismatchedSchemesAndBadInput() {
        Generated rsa = KeystoreApi.generate(KeyAlgorithm.RSA_2048, "mismatch@example.org");
        Generated ec = KeystoreApi.generate(KeyAlgorithm.EC_P256, "mismatch@example.org");
        String digest = Base64.getEncoder().encodeToString(digest("SHA_256"));
        signRequest(rsa.keyId(), Map.of("scheme", "ECDSA", "digestAlgorithm", "SHA_256", "digest", digest))
                .statusCode(422).contentType("application/problem+json").body("code", equalTo("unsupported-scheme"));
        signRequest(ec.keyId(), Map.of("scheme", "RSA_PSS", "digestAlgorithm", "SHA_256", "digest", digest))
                .statusCode(422).body("code", equalTo("unsupported-scheme"));
        signRequest(ec.keyId(), Map.of("scheme", "ECDSA", "digestAlgorithm", "SHA_384", "digest", digest))
                .statusCode(400).body("code", equalTo("digest-length"));
        signRequest(ec.keyId(), Map.of("scheme", "ECDSA", "digestAlgorithm", "SHA_256", "digest", "not base64!"))
                .statusCode(400).body("code", equalTo("malformed-input"));
        signRequest(ec.keyId(), Map.of("scheme", "ECDSA", "digestAlgorithm", "MD5", "digest", digest))
                .statusCode(400).contentType("application/problem+json");
        signRequest(UUID.randomUUID().toString(),
                Map.of("scheme", "ECDSA", "digestAlgorithm", "SHA_256", "digest", digest))
                .statusCode(404).body("code", equalTo("unknown-key"));
        service().contentType(ContentType.JSON).body(Map.of("keyAlgorithm", "RSA_1024", "emails", List.of("a@b.c")))
                .post("/internal/v1/keys").then().statusCode(400).contentType("application/problem+json");
        service().contentType(ContentType.JSON).body(Map.of("keyAlgorithm", "EC_P256", "emails", List.of("no-at")))
                .post("/internal/v1/keys").then().statusCode(400).body("code", equalTo("malformed-input"));
        service().contentType(ContentType.JSON).body(Map.of("keyAlgorithm", "EC_P256", "emails", List.of()))
                .post("/internal/v1/keys").then().statusCode(400);
    }

    @Test
    void onlyServicesReachTheInternalApi() {
        Generated key = KeystoreApi.generate(KeyAlgorithm.EC_P256, "owner@example.org");
        Map<String, String> body = Map.of("scheme", "ECDSA", "digestAlgorithm", "SHA_256", "digest",
                Base64.getEncoder().encodeToString(digest("SHA_256")));
        for (String token : List.of(TestTokens.user("owner@example.org"), TestTokens.admin())) {
            as(token).contentType(ContentType.JSON).body(body).post("/internal/v1/keys/" + key.keyId() + "/sign")
                    .then().statusCode(403).contentType("application/problem+json");
            as(token).contentType(ContentType.JSON)
                    .body(Map.of("keyAlgorithm", "EC_P256", "emails", List.of("owner@example.org")))
                    .post("/internal/v1/keys").then().statusCode(403);
            as(token).get("/internal/v1/keys/signing?email=owner@example.org").then().statusCode(403);
        }
        given().contentType(ContentType.JSON).body(body).post("/internal/v1/keys/" + key.keyId() + "/sign")
                .then().statusCode(401).contentType("application/problem+json");
        as(TestTokens.forged()).contentType(ContentType.JSON).body(body)
                .post("/internal/v1/keys/" + key.keyId() + "/sign").then().statusCode(401);
    }

    @Test
    void signingKeyIsTheNewestBoundValidUnrevokedSigningCertificate() {
        String mailbox = "Signer." + UUID.randomUUID().toString().substring(0, 8) + "@Example.COM";
        service().get("/internal/v1/keys/signing?email=" + mailbox).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("no-signing-key"));

        EndEntity first = KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P256, mailbox);
        String firstKey = KeystoreApi.keyIdOf(first);
        service().get("/internal/v1/keys/signing?email=" + mailbox.toLowerCase())
                .then().statusCode(404); // the local part is case-sensitive (RFC 8550)
        service().get("/internal/v1/keys/signing?email=" + mailbox.replace("Example.COM", "example.com"))
                .then().statusCode(200).body("keyId", equalTo(firstKey)).body("keyAlgorithm", equalTo("EC_P256"))
                .body("certificatePem", equalTo(first.certificate().pem()))
                .body("chainPem", equalTo(first.chain().pem()));

        // a newer key whose certificate only allows key agreement is not for signing
        Generated encryptionOnly = KeystoreApi.generate(KeyAlgorithm.EC_P256, mailbox);
        EndEntity encryption = KeystoreApi.certify(encryptionOnly, EndEntitySpec.forEmails(mailbox)
                .keyUsages(KeyUsage.KEY_AGREEMENT));
        events.send(CertificateEvents.issued(encryption, encryptionOnly.keyId()));
        CertificateEvents.await(() -> KeystoreApi.bound(encryption));
        // a newer key with an expired certificate is not either
        Generated expiredKey = KeystoreApi.generate(KeyAlgorithm.EC_P256, mailbox);
        EndEntity expired = KeystoreApi.certify(expiredKey, EndEntitySpec.forEmails(mailbox).expired());
        events.send(CertificateEvents.issued(expired, expiredKey.keyId()));
        CertificateEvents.await(() -> KeystoreApi.bound(expired));
        service().get("/internal/v1/keys/signing?email=" + mailbox).then().statusCode(200)
                .body("keyId", equalTo(firstKey));

        // a newer valid signing key wins
        EndEntity second = KeystoreApi.generateAndBind(events, KeyAlgorithm.RSA_2048, mailbox);
        String secondKey = KeystoreApi.keyIdOf(second);
        service().get("/internal/v1/keys/signing?email=" + mailbox).then().statusCode(200)
                .body("keyId", equalTo(secondKey)).body("keyAlgorithm", equalTo("RSA_2048"));

        // until its certificate is revoked: back to the first
        events.send(CertificateEvents.revoked(second, "keyCompromise"));
        CertificateEvents.await(() -> firstKey.equals(service().get("/internal/v1/keys/signing?email=" + mailbox)
                .then().extract().path("keyId")));
        events.send(CertificateEvents.revoked(first, "superseded"));
        CertificateEvents.await(() -> service().get("/internal/v1/keys/signing?email=" + mailbox)
                .statusCode() == 404);
    }

    @Test
    void findByIssuerAndSerialOrSubjectKeyIdentifier() throws Exception {
        EndEntity entity = KeystoreApi.generateAndBind(events, KeyAlgorithm.RSA_2048, "finder@example.org");
        String keyId = KeystoreApi.keyIdOf(entity);
        String issuer = Base64.getEncoder().encodeToString(
                entity.certificate().x509().getIssuerX500Principal().getEncoded());
        service().contentType(ContentType.JSON)
                .body(Map.of("issuer", issuer, "serialNumber", entity.certificate().serialHex().toUpperCase()))
                .post("/internal/v1/keys/find").then().statusCode(200).body("keyId", equalTo(keyId))
                .body("certificatePem", equalTo(entity.certificate().pem()));
        service().contentType(ContentType.JSON)
                .body(Map.of("issuer", issuer, "serialNumber",
                        entity.certificate().serial().add(BigInteger.ONE).toString(16)))
                .post("/internal/v1/keys/find").then().statusCode(404).body("code", equalTo("no-matching-key"));
        service().contentType(ContentType.JSON)
                .body(Map.of("subjectKeyIdentifier", Base64.getEncoder().encodeToString(new byte[20])))
                .post("/internal/v1/keys/find").then().statusCode(404).body("code", equalTo("no-matching-key"));
        service().contentType(ContentType.JSON).body(Map.of("issuer", "AAAA", "serialNumber", "zz"))
                .post("/internal/v1/keys/find").then().statusCode(400);
        service().contentType(ContentType.JSON).body(Map.of()).post("/internal/v1/keys/find").then()
                .statusCode(400);
    }

    private static ValidatableResponse signRequest(String keyId, Map<String, String> body) {
        return service().contentType(ContentType.JSON).body(body).post("/internal/v1/keys/" + keyId + "/sign")
                .then();
    }

    private static byte[] sign(Generated key, String scheme, String digestAlgorithm, byte[] digest) {
        String signature = signRequest(key.keyId(), Map.of("scheme", scheme, "digestAlgorithm", digestAlgorithm,
                "digest", Base64.getEncoder().encodeToString(digest))).statusCode(200).extract().path("signature");
        return Base64.getDecoder().decode(signature);
    }

    private void verify(Path publicKey, byte[] digest, byte[] signature, String... options) throws Exception {
        Path in = Files.write(dir.resolve("digest.bin"), digest);
        Path sig = Files.write(dir.resolve("signature.bin"), signature);
        List<String> args = new ArrayList<>(List.of("pkeyutl", "-verify", "-pubin", "-inkey",
                publicKey.toString(), "-in", in.toString(), "-sigfile", sig.toString()));
        args.addAll(List.of(options));
        String output = OpenSsl.run(args.toArray(String[]::new));
        assertTrue(output.contains("Signature Verified Successfully"), output);
        // and a different digest does not verify
        byte[] other = digest.clone();
        other[0] ^= 1;
        Files.write(in, other);
        assertTrue(OpenSsl.exec(args.toArray(String[]::new)).exitCode() != 0, "a changed digest must not verify");
    }

    private static byte[] digest(String digestAlgorithm) {
        try {
            byte[] message = new byte[100];
            new SecureRandom().nextBytes(message);
            return MessageDigest.getInstance(digestAlgorithm.replace('_', '-')).digest(message);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] encoded(PrivateKeyInfo info) {
        try {
            return info.getEncoded();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
