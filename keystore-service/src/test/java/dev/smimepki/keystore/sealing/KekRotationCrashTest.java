package dev.smimepki.keystore.sealing;

import static dev.smimepki.keystore.KeystoreApi.service;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.keystore.TestKeyEncryptionKey;
import dev.smimepki.keystore.operations.DigestAlgorithm;
import dev.smimepki.keystore.operations.PrivateKeyOperations;
import dev.smimepki.keystore.operations.SignatureScheme;

/**
 * KEK rotation of a few thousand keys: a separate JVM rotating them is killed with SIGKILL halfway, the database is
 * left consistent (every row opens under the version it names), the service finishes the rotation, and every key
 * still signs.
 */
@QuarkusTest
@TestProfile(KekRotationCrashTest.TwoKekVersions.class)
class KekRotationCrashTest {
    private static final int KEYS = 3000;
    private static final String K2 = TestKeyEncryptionKey.randomKey();
    private static final String MAILBOX = "rotation@example.org";

    /** KEK versions 1 (from {@link TestKeyEncryptionKey}) and 2, 2 active; the test runs the rotation itself. */
    public static class TwoKekVersions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pki.keystore.kek.versions.2", K2, "pki.keystore.kek.active", "2",
                    "pki.keystore.kek.rotation.every", "off", "pki.keystore.kek.rotation.batch-size", "100");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    KekRotation rotation;

    @Inject
    PrivateKeyOperations operations;

    @Test
    void rotationSurvivesAKillHalfwayAndEveryKeyStillSigns() throws Exception {
        String k1 = ConfigProvider.getConfig().getValue("pki.keystore.kek.versions.1", String.class);
        // from the running service's config: the profile class may live in another class loader with its own K2
        String k2 = ConfigProvider.getConfig().getValue("pki.keystore.kek.versions.2", String.class);
        EnvelopeEncryption underVersion1 = new EnvelopeEncryption(new KeyEncryptionKeys("1", Map.of("1", k1)));
        EnvelopeEncryption both = new EnvelopeEncryption(new KeyEncryptionKeys("2", Map.of("1", k1, "2", k2)));
        EnvelopeEncryption onlyVersion2 = new EnvelopeEncryption(new KeyEncryptionKeys("2", Map.of("2", k2)));

        Map<UUID, KeyPair> keys = OlderRows.insert(dataSource, underVersion1, KEYS, MAILBOX);
        assertEquals(KEYS, versionCount("1"));

        // a separate JVM rotates, slowly, and is killed with SIGKILL once part of the work is committed
        Process worker = startWorker(k1, k2);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (versionCount("2") < KEYS / 3) {
            assertTrue(worker.isAlive(), () -> "the worker ended early: " + output(worker));
            assertTrue(Instant.now().isBefore(deadline), "the worker made no progress");
            Thread.sleep(20);
        }
        long atKill = versionCount("2");
        worker.destroyForcibly(); // SIGKILL on POSIX: no shutdown hook, no rollback handling in the JVM
        assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, worker.exitValue(),
                () -> "killed by SIGKILL, not ended; rotated at kill: " + atKill + ", pid "
                        + worker.pid() + " " + worker.info());
        long rotatedBeforeCrash = versionCount("2");
        assertTrue(rotatedBeforeCrash > 0 && rotatedBeforeCrash < KEYS, "killed halfway: " + rotatedBeforeCrash);
        assertEquals(KEYS, versionCount("1") + versionCount("2"));
        // no torn row: every data key opens under the version its row names
        forEachRow((id, sealed) -> assertArrayEquals(keys.get(id).getPrivate().getEncoded(),
                both.open(id, KeyAlgorithm.EC_P256, sealed)));

        // the service carries on where the crashed worker stopped
        assertEquals(KEYS - rotatedBeforeCrash, rotation.rotate());
        assertEquals(0, rotation.pending());
        assertEquals(KEYS, versionCount("2"));
        assertEquals(0, rotation.rotate(), "nothing left to do");
        // version 1 is no longer needed by any row
        forEachRow((id, sealed) -> assertArrayEquals(keys.get(id).getPrivate().getEncoded(),
                onlyVersion2.open(id, KeyAlgorithm.EC_P256, sealed)));

        // and every key still signs: all through the service's private-key operation, a sample through the API
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("after rotation".getBytes());
        String body = Base64.getEncoder().encodeToString(digest);
        int viaApi = 0;
        for (Map.Entry<UUID, KeyPair> key : keys.entrySet()) {
            byte[] signature;
            if (viaApi++ < 100) {
                signature = Base64.getDecoder().decode(service().contentType(ContentType.JSON)
                        .body(Map.of("scheme", "ECDSA", "digestAlgorithm", "SHA_256", "digest", body))
                        .post("/internal/v1/keys/" + key.getKey() + "/sign").then().statusCode(200).extract()
                        .<String>path("signature"));
            } else {
                signature = operations.sign(key.getKey(), SignatureScheme.ECDSA, DigestAlgorithm.SHA_256, digest,
                        "rotation-test");
            }
            assertTrue(OlderRows.verifies(key.getValue(), digest, signature), "key " + key.getKey());
        }
    }

    private Process startWorker(String k1, String k2) throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        String user = ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class);
        String password = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class)
                .orElse("");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                RotationWorker.class.getName(), url, user, password, k1, k2, "25", "15"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return process;
    }

    private static String output(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes());
        } catch (IOException e) {
            return e.toString();
        }
    }

    private interface RowCheck {
        void check(UUID id, SealedPrivateKey sealed);
    }

    private void forEachRow(RowCheck check) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select id, private_key_nonce, private_key_ciphertext,"
                        + " kek_version, data_key_nonce, wrapped_data_key from stored_key where id in"
                        + " (select key_id from stored_key_email where email = '" + MAILBOX + "')")) {
            int seen = 0;
            while (rows.next()) {
                check.check(rows.getObject(1, UUID.class), new SealedPrivateKey(rows.getBytes(2), rows.getBytes(3),
                        new WrappedDataKey(rows.getString(4), rows.getBytes(5), rows.getBytes(6))));
                seen++;
            }
            assertEquals(KEYS, seen);
        }
    }

    private long versionCount(String version) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from stored_key where kek_version = ?")) {
            count.setString(1, version);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

}
