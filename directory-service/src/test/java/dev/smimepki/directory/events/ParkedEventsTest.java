package dev.smimepki.directory.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;
import dev.smimepki.directory.DirectoryRows;
import dev.smimepki.directory.store.CertificateStore;
import dev.smimepki.directory.store.DirectoryCertificate;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.events.EventType;
import dev.smimepki.events.Topics;
import dev.smimepki.runtime.inbox.Inbox;
import dev.smimepki.runtime.test.TestTokens;

/**
 * An event the directory cannot apply is parked, not retried forever and not dropped: the records behind it go on,
 * and an administrator replays it after the fix (through the real broker, via this service's outbox) or discards it.
 */
@QuarkusTest
class ParkedEventsTest {
    private static final String PARKED = "/api/v1/events/parked";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    EntityManager entityManager;

    @Inject
    Inbox inbox;

    @Inject
    CertificateStore store;

    @Inject
    MeterRegistry registry;

    private BrokerEvents events;

    @BeforeEach
    void connect() {
        events = new BrokerEvents(bootstrapServers);
        // stands for a database that answers and refuses one certificate's row every time (a constraint the event
        // cannot meet, a bug): what the operator fixes before replaying
        sql("create table if not exists test_refused (fingerprint text primary key)");
        sql("""
                create or replace function test_refuse() returns trigger language plpgsql as $$
                begin
                    if exists (select 1 from test_refused where fingerprint = new.fingerprint_sha256) then
                        raise exception 'certificate % refused for the test', new.fingerprint_sha256
                            using errcode = '23514';
                    end if;
                    return new;
                end $$""");
        sql("create or replace trigger test_refuse before insert on directory_certificate for each row"
                + " execute function test_refuse()");
    }

    @AfterEach
    void disconnect() {
        events.close();
        sql("drop trigger if exists test_refuse on directory_certificate");
        sql("drop function if exists test_refuse()");
        sql("drop table if exists test_refused");
    }

    @Test
    void anEventRefusedOnEveryAttemptIsParkedWithItsCertificatesLaterEventsAndReplayedWithThemAfterTheFix() {
        EndEntity carol = TestPki.shared().issue("carol-" + suffix() + "@example.com");
        EndEntity dave = TestPki.shared().issue("dave-" + suffix() + "@example.com");
        String refused = carol.certificate().fingerprintSha256();
        sql("insert into test_refused values ('" + refused + "')");
        double parkedBefore = parkedCount();

        String carolId = events.send(BrokerEvents.issued(carol));
        String daveId = events.send(BrokerEvents.issued(dave));

        BrokerEvents.await(() -> DirectoryRows.processed(entityManager, daveId) == 1);
        BrokerEvents.await(() -> parkedId(carolId) != null);
        long firstParking = parkedId(carolId);
        assertNull(DirectoryRows.find(entityManager, refused), "nothing of the refused event is written");
        assertEquals(0, DirectoryRows.processed(entityManager, carolId), "not recorded as applied");
        assertEquals(parkedBefore + 1, parkedCount(), "pki_events_parked_total counts it");
        assertEquals(1, audited("EVENT_PARKED", carolId, "event:" + Topics.CERTIFICATES));

        given().auth().oauth2(TestTokens.admin()).get(PARKED + "/" + firstParking).then().statusCode(200)
                .body("ceId", equalTo(carolId))
                .body("ceType", equalTo(EventType.CERTIFICATE_ISSUED.ceType()))
                .body("topic", equalTo(Topics.CERTIFICATES))
                .body("key", equalTo(refused))
                .body("cause", equalTo("FAILED"))
                .body("attempts", equalTo(5))
                .body("reason", startsWith("not applied after 5 attempts: ERROR:"
                        + " certificate " + refused + " refused for the test"))
                .body("reason", containsString("[SQLState 23514]; through "))
                .body("payload", containsString(refused));
        given().auth().oauth2(TestTokens.admin()).get(PARKED + "?size=100").then().statusCode(200)
                .body("items.find { it.id == " + firstParking + " }.ceId", equalTo(carolId));

        // the certificate's revocation comes next: held behind its issuance, unattempted, so that the two are applied
        // in their order (applied first, it would be a pending revocation here but lost in keystore-service)
        String revokedId = events.send(new CertificateRevoked(refused, carol.certificate().serialHex(), "ca",
                "keyCompromise", Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        BrokerEvents.await(() -> parkedId(revokedId) != null);
        long held = parkedId(revokedId);
        given().auth().oauth2(TestTokens.admin()).get(PARKED + "/" + held).then().statusCode(200)
                .body("cause", equalTo("HELD")).body("attempts", equalTo(0))
                .body("reason", containsString("held behind an earlier parked event"));
        assertEquals(0, DirectoryRows.processed(entityManager, revokedId));
        given().auth().oauth2(TestTokens.admin()).post(PARKED + "/" + held + "/replay").then().statusCode(422)
                .body("code", equalTo("parked-event-not-replayable"))
                .body("detail", containsString("held behind parked event " + firstParking));

        // replayed before the fix: both go out, the issuance is refused and parked again, the revocation held again
        given().auth().oauth2(TestTokens.admin()).post(PARKED + "/" + firstParking + "/replay").then()
                .statusCode(202).body("items.ceId", contains(carolId, revokedId));
        BrokerEvents.await(() -> {
            Long carolAgain = parkedId(carolId);
            Long revokedAgain = parkedId(revokedId);
            return carolAgain != null && carolAgain != firstParking && revokedAgain != null && revokedAgain != held;
        });
        long secondParking = parkedId(carolId);
        assertTrue(parkedId(revokedId) > secondParking, "held behind it again");
        given().auth().oauth2(TestTokens.admin()).get(PARKED + "/" + firstParking).then().statusCode(404)
                .body("code", equalTo("parked-event-not-found"));

        // the fix, then the replay that applies both, in order
        sql("delete from test_refused");
        given().auth().oauth2(TestTokens.admin()).post(PARKED + "/" + secondParking + "/replay").then()
                .statusCode(202).body("items.size()", equalTo(2));
        BrokerEvents.await(() -> DirectoryRows.processed(entityManager, carolId, revokedId) == 2);
        DirectoryCertificate applied = DirectoryRows.find(entityManager, refused);
        assertEquals(carol.certificate().serialHex(), applied.serial);
        assertEquals("keyCompromise", applied.revocationReason);
        assertNull(parkedId(carolId), "a replayed event is no longer parked");
        assertNull(parkedId(revokedId));
        assertEquals(2, audited("PARKED_EVENT_REPLAYED", carolId, "admin"));
        assertEquals(2, audited("PARKED_EVENT_REPLAYED", revokedId, "admin"));
    }

    @Test
    void aMalformedEventIsParkedAtOnceCannotBeReplayedAndIsDiscarded() {
        String badId = UUID.randomUUID().toString();
        events.send(badId, EventType.CERTIFICATE_ISSUED, "junk", "{\"serial\":".getBytes(StandardCharsets.UTF_8));
        BrokerEvents.await(() -> parkedId(badId) != null);
        long id = parkedId(badId);

        given().auth().oauth2(TestTokens.admin()).get(PARKED + "/" + id).then().statusCode(200)
                .body("cause", equalTo("MALFORMED"))
                .body("attempts", equalTo(1))
                .body("reason", startsWith("malformed"))
                .body("payload", equalTo("{\"serial\":"));
        given().auth().oauth2(TestTokens.admin()).post(PARKED + "/" + id + "/replay").then().statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("parked-event-not-replayable"))
                .body("detail", containsString("malformed"));
        assertEquals(id, parkedId(badId), "a refused replay leaves it parked");

        given().auth().oauth2(TestTokens.admin()).delete(PARKED + "/" + id).then().statusCode(200)
                .body("ceId", equalTo(badId));
        assertNull(parkedId(badId));
        assertEquals(1, audited("PARKED_EVENT_DISCARDED", badId, "admin"));
        given().auth().oauth2(TestTokens.admin()).delete(PARKED + "/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(0, DirectoryRows.processed(entityManager, badId));
    }

    @Test
    void aConflictThatPassesIsRetriedPastTheParkingLimitAndApplied() {
        EndEntity erin = TestPki.shared().issue("erin-" + suffix() + "@example.com");
        String id = UUID.randomUUID().toString();
        int[] attempts = {0};
        boolean applied = inbox.accept(BrokerEvents.received(id, BrokerEvents.issued(erin)), event -> {
            if (++attempts[0] <= 6) {
                throw new PersistenceException("commit failed",
                        new SQLException("could not serialize access due to concurrent update", "40001"));
            }
            store.recordIssued((CertificateIssued) event.body(), event.time());
        });
        assertTrue(applied, "applied once the conflict passed");
        assertEquals(7, attempts[0]);
        assertNull(parkedId(id), "never parked");
        assertEquals(1, DirectoryRows.processed(entityManager, id));
    }

    @Test
    void aHandlerThatFailsEveryTimeGetsItsRecordParkedAfterFiveAttempts() {
        EndEntity frank = TestPki.shared().issue("frank-" + suffix() + "@example.com");
        String id = UUID.randomUUID().toString();
        int[] attempts = {0};
        boolean applied = inbox.accept(BrokerEvents.received(id, BrokerEvents.issued(frank)), event -> {
            attempts[0]++;
            throw new IllegalStateException("a bug in the handler");
        });
        assertFalse(applied);
        assertEquals(5, attempts[0]);
        assertTrue(parkedId(id) != null, "parked");
        // a later record of the same certificate, given straight to the inbox, is parked behind it unattempted
        String laterId = UUID.randomUUID().toString();
        assertFalse(inbox.accept(BrokerEvents.received(laterId, new CertificateRevoked(frank.certificate()
                .fingerprintSha256(), frank.certificate().serialHex(), "ca", "superseded", Instant.now())), event -> {
                    throw new AssertionError("not attempted");
                }));
        assertTrue(parkedId(laterId) != null, "held");
        given().auth().oauth2(TestTokens.admin()).delete(PARKED + "/" + parkedId(laterId)).then().statusCode(200);
        assertEquals(0, DirectoryRows.processed(entityManager, id));
        given().auth().oauth2(TestTokens.admin()).delete(PARKED + "/" + parkedId(id)).then().statusCode(200);
    }

    @Test
    void onlyAdministratorsSeeOrTouchParkedEvents() {
        given().get(PARKED).then().statusCode(401);
        given().auth().oauth2(TestTokens.user("someone@example.com")).get(PARKED).then().statusCode(403);
        given().auth().oauth2(TestTokens.service()).post(PARKED + "/1/replay").then().statusCode(403);
        given().auth().oauth2(TestTokens.user("someone@example.com")).delete(PARKED + "/1").then().statusCode(403);
        given().auth().oauth2(TestTokens.admin()).get(PARKED + "?size=0").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid-page"));
        given().auth().oauth2(TestTokens.admin()).get(PARKED + "/not-a-number").then().statusCode(400)
                .body("code", equalTo("invalid-parameter"));
        given().auth().oauth2(TestTokens.admin()).accept(ContentType.JSON).post(PARKED + "/" + Long.MAX_VALUE
                + "/replay").then().statusCode(404).body("code", equalTo("parked-event-not-found"));
    }

    private Long parkedId(String ceId) {
        List<?> ids = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select id from parked_event where ce_id = ?1").setParameter(1, ceId).getResultList());
        assertTrue(ids.size() <= 1, "parked once at a time: " + ids);
        return ids.isEmpty() ? null : ((Number) ids.get(0)).longValue();
    }

    private long audited(String action, String target, String actorContains) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "select count(*) from audit_chain where action = ?1 and target = ?2 and actor like ?3")
                .setParameter(1, action).setParameter(2, target).setParameter(3, "%" + actorContains + "%")
                .getSingleResult()).longValue());
    }

    private double parkedCount() {
        Counter counter = registry.find("pki.events.parked").tag("topic", Topics.CERTIFICATES).counter();
        return counter == null ? 0 : counter.count();
    }

    private void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(statement).executeUpdate());
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
