package dev.smimepki.keystore.sealing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.smimepki.keystore.CertificateEvents;
import dev.smimepki.keystore.TestKeyEncryptionKey;
import dev.smimepki.keystore.operations.DigestAlgorithm;
import dev.smimepki.keystore.operations.PrivateKeyOperations;
import dev.smimepki.keystore.operations.SignatureScheme;

/** With a new active KEK version configured, the background job rewraps old data keys by itself. */
@QuarkusTest
@TestProfile(ScheduledRotationTest.NewActiveVersion.class)
class ScheduledRotationTest {
    private static final int KEYS = 300;

    /** KEK versions 1 and 2, 2 active, the job every second in small batches. */
    public static class NewActiveVersion implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pki.keystore.kek.versions.2", TestKeyEncryptionKey.randomKey(),
                    "pki.keystore.kek.active", "2", "pki.keystore.kek.rotation.every", "1s",
                    "pki.keystore.kek.rotation.batch-size", "40");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PrivateKeyOperations operations;

    @Test
    void oldDataKeysAreRewrappedInTheBackground() throws Exception {
        String k1 = ConfigProvider.getConfig().getValue("pki.keystore.kek.versions.1", String.class);
        Map<UUID, KeyPair> keys = OlderRows.insert(dataSource, new EnvelopeEncryption(new KeyEncryptionKeys("1",
                Map.of("1", k1))), KEYS, "scheduled@example.org");

        CertificateEvents.await(() -> count("1") == 0);
        assertEquals(KEYS, count("2"));
        CertificateEvents.await(() -> given().get("/q/metrics").asString()
                .contains("pki_keystore_kek_pending 0.0"));
        byte[] digest = new byte[32];
        for (UUID keyId : keys.keySet()) {
            byte[] signature = operations.sign(keyId, SignatureScheme.ECDSA, DigestAlgorithm.SHA_256, digest,
                    "rotation-test");
            assertTrue(OlderRows.verifies(keys.get(keyId), digest, signature));
        }
    }

    private long count(String version) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection
                        .prepareStatement("select count(*) from stored_key where kek_version = ?")) {
            count.setString(1, version);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
