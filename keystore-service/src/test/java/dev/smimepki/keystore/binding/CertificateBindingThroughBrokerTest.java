package dev.smimepki.keystore.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.keystore.CertificateEvents;
import dev.smimepki.keystore.KeystoreApi;
import dev.smimepki.keystore.KeystoreApi.Generated;

/** ca-service's events, sent through the real broker, bind certificates to keys once each and mark revocations. */
@QuarkusTest
class CertificateBindingThroughBrokerTest {
    @Inject
    AgroalDataSource dataSource;

    private CertificateEvents events;

    @BeforeEach
    void connect() {
        events = new CertificateEvents();
    }

    @AfterEach
    void disconnect() {
        events.close();
    }

    @Test
    void issuedBindsOnceByPublicKeyAndRevokedMarksIt() throws Exception {
        Generated key = KeystoreApi.generate(KeyAlgorithm.EC_P256, "binder@example.org");
        // the certificate names a second mailbox: the key joins that mailbox's history too
        EndEntity entity = KeystoreApi.certify(key,
                EndEntitySpec.forEmails("binder@example.org", "Binder.Alias@Example.ORG"));
        // the event's keyId is a hint: a wrong one does not mislead the binding, the public key decides
        CertificateIssued issued = CertificateEvents.issued(entity, UUID.randomUUID().toString());
        String issuedId = UUID.randomUUID().toString();
        events.send(issuedId, issued);
        events.send(issuedId, issued);
        events.send(issued); // the same certificate under another event id
        CertificateEvents.await(() -> processed(issuedId) == 1 && count("key_certificate", "fingerprint_sha256",
                entity.certificate().fingerprintSha256()) == 1);

        String fingerprint = entity.certificate().fingerprintSha256();
        List<String> row = queryRow("select key_id::text, serial, chain_pem, revoked_at::text from key_certificate"
                + " where fingerprint_sha256 = ?", fingerprint);
        assertEquals(key.keyId(), row.get(0));
        assertEquals(entity.certificate().serialHex(), row.get(1));
        assertEquals(entity.chain().pem(), row.get(2));
        assertNull(row.get(3));
        assertEquals(List.of("Binder.Alias@example.org", "binder@example.org"), emails(key.keyId()));

        String revokedId = events.send(CertificateEvents.revoked(entity, "keyCompromise"));
        events.send(revokedId, CertificateEvents.revoked(entity, "superseded"));
        CertificateEvents.await(() -> processed(revokedId) == 1 && queryRow(
                "select revocation_reason from key_certificate where fingerprint_sha256 = ?", fingerprint)
                .get(0) != null);
        Thread.sleep(1_000); // let the redelivery behind it be consumed too
        assertEquals("keyCompromise", queryRow("select revocation_reason from key_certificate"
                + " where fingerprint_sha256 = ?", fingerprint).get(0));
        assertNotNull(queryRow("select revoked_at from key_certificate where fingerprint_sha256 = ?", fingerprint)
                .get(0));
        assertEquals(1, count("audit_chain", "action", "CERTIFICATE_REVOKED", key.keyId()));
        assertEquals(1, count("audit_chain", "action", "CERTIFICATE_BOUND", key.keyId()));
    }

    @Test
    void certificatesForKeysHeldElsewhereAreSkippedAndMalformedEventsParked() throws Exception {
        EndEntity elsewhere = TestPki.shared().issue("csr.user@example.org");
        String elsewhereId = events.send(CertificateEvents.issued(elsewhere, null));
        // an event whose fingerprint does not match its certificate is malformed: parked, not applied
        Generated key = KeystoreApi.generate(KeyAlgorithm.EC_P256, "tampered@example.org");
        EndEntity entity = KeystoreApi.certify(key, EndEntitySpec.forEmails("tampered@example.org"));
        CertificateIssued good = CertificateEvents.issued(entity, key.keyId());
        String badId = events.send(new CertificateIssued("00".repeat(32), good.serial(), good.caId(), good.emails(),
                good.notBefore(), good.notAfter(), good.keyId(), good.certificatePem(), good.chainPem()));
        String goodId = events.send(good);

        CertificateEvents.await(() -> processed(goodId) == 1);
        assertEquals(1, processed(elsewhereId), "applied, with nothing to bind");
        assertEquals(0, count("key_certificate", "fingerprint_sha256", elsewhere.certificate()
                .fingerprintSha256()));
        assertEquals(0, processed(badId), "a malformed event is not recorded as applied");
        CertificateEvents.await(() -> count("parked_event", "ce_id", badId) == 1);
        assertEquals(1, count("key_certificate", "fingerprint_sha256", entity.certificate().fingerprintSha256()));
    }

    private long processed(String id) {
        return count("processed_event", "ce_id", id);
    }

    private long count(String table, String column, String value) {
        return Long.parseLong(queryRow("select count(*) from " + table + " where " + column + " = ?", value).get(0));
    }

    private long count(String table, String column, String value, String keyId) {
        return Long.parseLong(queryRow("select count(*) from " + table + " where " + column + " = ? and target = ?",
                value, keyId).get(0));
    }

    private List<String> emails(String keyId) {
        List<String> emails = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection
                        .prepareStatement("select email from stored_key_email where key_id::text = ? order by email")) {
            statement.setString(1, keyId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    emails.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return emails;
    }

    private List<String> queryRow(String sql, String... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new AssertionError("no row for " + sql);
                }
                List<String> values = new ArrayList<>();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    values.add(rows.getString(column));
                }
                return values;
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
