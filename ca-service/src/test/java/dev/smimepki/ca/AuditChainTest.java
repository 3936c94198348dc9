package dev.smimepki.ca;

import static dev.smimepki.ca.CaApi.asAdmin;

import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.smimepki.ca.audit.CaAction;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.test.AuditChainContract;
import dev.smimepki.runtime.test.TestTokens;

/** ca-service's audit chain: CA creation, issuance and revocation are audited, and tampering is detected. */
@QuarkusTest
class AuditChainTest extends AuditChainContract {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditLog auditLog;

    /** A new root CA (fast: EC), two issued certificates, one of them revoked. */
    @Override
    protected void makeAuditedChanges() {
        String caId = CaApi.createCa("Audit Root", "CN=Audit Root CA,O=smime-pki tests", KeyAlgorithm.EC_P256, null,
                3650).getString("id");
        CaApi.issue(caId, KeyPairs.generate(KeyAlgorithm.EC_P256), null, null, "audit-a@example.org");
        CaApi.Issued revoked = CaApi.issue(caId, KeyPairs.generate(KeyAlgorithm.EC_P256), null, null,
                "audit-b@example.org");
        asAdmin().contentType(ContentType.JSON).body("{\"reason\":\"superseded\"}")
                .post("/api/v1/certificates/" + revoked.serial() + "/revoke").then().statusCode(200);
    }

    @Override
    protected Set<String> expectedEntries() {
        return Set.of(CaAction.CA_CREATED + " by " + TestTokens.ADMIN_NAME,
                CaAction.CERTIFICATE_ISSUED + " by " + TestTokens.ADMIN_NAME,
                CaAction.CERTIFICATE_REVOKED + " by " + TestTokens.ADMIN_NAME);
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
