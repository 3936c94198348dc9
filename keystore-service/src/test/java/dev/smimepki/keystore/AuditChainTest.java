package dev.smimepki.keystore;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Base64;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.keystore.audit.KeyAction;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.test.AuditChainContract;
import dev.smimepki.runtime.test.TestTokens;

/** keystore-service's audit chain: generation, private-key use and deletion are audited, and tampering detected. */
@QuarkusTest
class AuditChainTest extends AuditChainContract {
    private static final int SHA256_LENGTH = 32;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditLog auditLog;

    /** A key generated for a service, a digest signed with it, and the key deleted by an admin. */
    @Override
    protected void makeAuditedChanges() {
        KeystoreApi.Generated key = KeystoreApi.generate(KeyAlgorithm.EC_P256, "audit@example.org");
        String signature = KeystoreApi.service().contentType(ContentType.JSON)
                .body(Map.of("scheme", "ECDSA", "digestAlgorithm", "SHA_256", "digest",
                        Base64.getEncoder().encodeToString(new byte[SHA256_LENGTH])))
                .post("/internal/v1/keys/" + key.keyId() + "/sign").then().statusCode(200).extract()
                .path("signature");
        assertFalse(signature.isEmpty());
        KeystoreApi.as(TestTokens.admin()).delete("/api/v1/keys/" + key.keyId() + "?reason=audit test").then()
                .statusCode(204);
    }

    @Override
    protected Set<String> expectedEntries() {
        return Set.of(KeyAction.KEY_GENERATED + " by " + TestTokens.SERVICE_NAME,
                KeyAction.DIGEST_SIGNED + " by " + TestTokens.SERVICE_NAME,
                KeyAction.KEY_DELETED + " by " + TestTokens.ADMIN_NAME);
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }

    @Override
    protected AuditLog auditLog() {
        return auditLog;
    }
}
