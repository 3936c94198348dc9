package dev.smimepki.directory.harvest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;
import dev.smimepki.directory.DirectoryRows;
import dev.smimepki.directory.profile.SmimeCertificateCheck;
import dev.smimepki.directory.store.DirectoryCertificate;
import dev.smimepki.events.CertificateHarvested;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.events.PkiEvent;

/**
 * crypto-service's harvested certificates through the real broker: re-checked here, junk counted and dropped, a
 * stranger's certificate for a known address flagged; every event replayed twice changes nothing.
 */
@QuarkusTest
class HarvestThroughBrokerTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    MeterRegistry registry;

    @Inject
    EntityManager entityManager;

    @Test
    void harvestedCertificatesAreCheckedJunkIsDroppedAndReplayingEverythingTwiceChangesNothing() {
        TestPki ours = TestPki.create();
        TestPki stranger = TestPki.create();
        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        EndEntity aliceIssued = ours.issue(alice);
        EndEntity bobSigned = ours.issue(bob);
        EndEntity aliceImpostor = stranger.issue(alice);
        EndEntity noMailbox = ours.issue(EndEntitySpec.forEmails());
        EndEntity serverOnly = ours.issue(EndEntitySpec.forEmails("web-" + alice)
                .extendedKeyUsages(EndEntitySpec.SERVER_AUTH));
        EndEntity badSignature = ours.issue("forged-" + alice);
        EndEntity revokedLater = ours.issue("revoked-" + alice);
        Instant seen = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        // Events in the order they arrive, each with its ce_id, so that they can all be replayed.
        Map<String, PkiEvent> events = new LinkedHashMap<>();
        events.put(id(), BrokerEvents.issued(aliceIssued)); // publishes "ours" root as an anchor
        events.put(id(), BrokerEvents.harvested(bobSigned, "", true, seen)); // no chain: found via the intermediate
        events.put(id(), BrokerEvents.harvested(bobSigned, ours.chain().pem(), true, seen.plusSeconds(60)));
        events.put(id(), BrokerEvents.harvested(aliceImpostor, stranger.chain().pem(), true, seen));
        events.put(id(), BrokerEvents.harvested(noMailbox, "", true, seen));
        events.put(id(), BrokerEvents.harvested(serverOnly, "", true, seen));
        events.put(id(), BrokerEvents.harvested(badSignature, "", false, seen));
        events.put(id(), new CertificateHarvested(ours.issuingCa().certificate().fingerprintSha256(), List.of(),
                ours.issuingCa().certificate().pem(), "", seen, true, null));
        events.put(id(), BrokerEvents.harvested(revokedLater, "", true, seen));
        events.put(id(), new CertificateRevoked(revokedLater.certificate().fingerprintSha256(),
                revokedLater.certificate().serialHex(), "ca", "superseded", seen));

        double noMailboxBefore = dropped(SmimeCertificateCheck.JUNK_NO_MAILBOX);
        double notSmimeBefore = dropped(SmimeCertificateCheck.JUNK_NOT_SMIME);
        double badSignatureBefore = dropped(HarvestIntake.INVALID_SIGNATURE);
        try (BrokerEvents broker = new BrokerEvents(bootstrapServers)) {
            events.forEach(broker::send);
            BrokerEvents.await(() -> dropped(HarvestIntake.INVALID_SIGNATURE) == badSignatureBefore + 1);
            BrokerEvents.await(() -> dropped(SmimeCertificateCheck.JUNK_NO_MAILBOX) == noMailboxBefore + 1);
            BrokerEvents.await(() -> dropped(SmimeCertificateCheck.JUNK_NOT_SMIME) == notSmimeBefore + 2);
            BrokerEvents.await(() -> find(revokedLater) != null && find(revokedLater).revokedAt != null);
            BrokerEvents.await(() -> find(bobSigned) != null && find(bobSigned).timesHarvested == 2);
            BrokerEvents.await(() -> find(aliceImpostor) != null);
            // The topics are not ordered with each other: bob's certificate may have come before the issued event
            // that published the anchor, and is then checked again when the anchor arrives.
            BrokerEvents.await(() -> find(aliceIssued) != null);

            for (EndEntity junk : List.of(noMailbox, serverOnly, badSignature)) {
                assertNull(find(junk), "junk is not stored");
            }
            DirectoryCertificate bobStored = find(bobSigned);
            assertEquals(DirectoryCertificate.Source.harvested, bobStored.source);
            assertEquals(DirectoryCertificate.Trust.trusted, bobStored.trust, bobStored.trustDetail);
            assertEquals(seen, bobStored.firstSeen);
            assertEquals(seen.plusSeconds(60), bobStored.lastSeen);
            DirectoryCertificate impostor = find(aliceImpostor);
            assertEquals(DirectoryCertificate.Trust.unverified, impostor.trust);
            assertTrue(impostor.trustDetail.contains("does not chain to a known trust anchor"), impostor.trustDetail);

            JsonPath aliceEntry = given().get("/api/v1/directory/" + alice).then().statusCode(200).extract()
                    .jsonPath();
            assertEquals(aliceIssued.certificate().fingerprintSha256(), aliceEntry.getString("preferred"));
            assertEquals(aliceImpostor.certificate().fingerprintSha256(),
                    aliceEntry.getString("certificates[1].fingerprintSha256"));
            assertTrue(aliceEntry.getBoolean("certificates[1].keyChange"), "flagged");
            assertFalse(aliceEntry.getBoolean("certificates[1].usable"), "never chosen automatically");
            assertTrue(aliceEntry.getString("certificates[1].rejectedBecause[0]").contains("key change"));
            assertEquals(1, aliceEntry.getInt("certificates[1].timesHarvested"));
            given().get("/api/v1/directory/" + bob).then().statusCode(200).body("preferred",
                    org.hamcrest.Matchers.equalTo(bobSigned.certificate().fingerprintSha256()));

            String before = snapshot();
            double duplicatesBefore = duplicates();
            events.forEach(broker::send);
            events.forEach(broker::send);
            BrokerEvents.await(() -> duplicates() >= duplicatesBefore + 2 * events.size());
            assertEquals(before, snapshot(), "replaying every event twice leaves the directory unchanged");
            assertEquals(badSignatureBefore + 1, dropped(HarvestIntake.INVALID_SIGNATURE),
                    "a replay is not counted again");
        }
    }

    private double dropped(String reason) {
        Counter counter = registry.find(HarvestIntake.DROPPED).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private double duplicates() {
        return registry.find("pki.events.duplicates").counters().stream().mapToDouble(Counter::count).sum();
    }

    private DirectoryCertificate find(EndEntity entity) {
        return DirectoryRows.find(entityManager, entity.certificate().fingerprintSha256());
    }

    /** Every row of the directory's tables, as text. */
    private String snapshot() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> parts = new ArrayList<>();
            for (String table : List.of("directory_certificate", "directory_mailbox", "directory_ca_certificate",
                    "directory_pending_revocation")) {
                parts.add(String.valueOf(entityManager.createNativeQuery("select coalesce(string_agg(t::text, '|' "
                        + "order by t::text), '') from " + table + " t", String.class).getSingleResult()));
            }
            return String.join("\n", parts);
        });
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
