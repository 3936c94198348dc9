package dev.smimepki.directory;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.ldap.LdapDirectoryServer;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;

/** An issued event makes a certificate findable over HTTP and LDAP within a second; a revoked one withdraws it. */
@QuarkusTest
class EndToEndThroughBrokerTest {
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(EndToEndThroughBrokerTest.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    LdapDirectoryServer ldap;

    @Test
    void issuedIsFoundOverHttpAndLdapWithinASecondAndRevokedIsWithdrawnSayingSo() throws Exception {
        try (BrokerEvents broker = new BrokerEvents(bootstrapServers);
                LDAPConnection connection = new LDAPConnection("127.0.0.1", ldap.port())) {
            // The consumer may still be joining its group when the application has just started: wait for that.
            EndEntity warmUp = TestPki.shared().issue("warm-up-" + UUID.randomUUID() + "@example.com");
            broker.send(BrokerEvents.issued(warmUp));
            BrokerEvents.await(() -> httpFinds(warmUp.certificate().emails().get(0)));

            String address = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            EndEntity entity = TestPki.shared().issue(address);
            CertificateIssued issued = BrokerEvents.issued(entity);
            Instant sent = Instant.now();
            broker.send(issued);
            Duration http = within(() -> httpFinds(address));
            Duration overLdap = within(() -> ldapCertificates(connection, address).size() == 1);
            LOG.infof("issued: found over HTTP after %d ms, over LDAP %d ms later", http.toMillis(),
                    overLdap.toMillis());
            assertTrue(http.compareTo(WITHIN) <= 0, "found over HTTP after " + http.toMillis() + " ms");
            assertTrue(overLdap.compareTo(WITHIN) <= 0, "found over LDAP after " + overLdap.toMillis() + " ms");
            assertArrayEquals(entity.certificate().der(), ldapCertificates(connection, address).get(0));
            assertTrue(Duration.between(sent, Instant.now()).toMillis() < 5_000);

            broker.send(new CertificateRevoked(issued.fingerprintSha256(), issued.serial(), issued.caId(),
                    "keyCompromise", Instant.now()));
            Duration withdrawn = within(() -> !httpFinds(address));
            Duration ldapWithdrawn = within(() -> ldapCertificates(connection, address).isEmpty());
            LOG.infof("revoked: withdrawn over HTTP after %d ms, over LDAP %d ms later", withdrawn.toMillis(),
                    ldapWithdrawn.toMillis());
            assertTrue(withdrawn.compareTo(WITHIN) <= 0, "withdrawn over HTTP after " + withdrawn.toMillis() + " ms");
            assertTrue(ldapWithdrawn.compareTo(WITHIN) <= 0,
                    "withdrawn over LDAP after " + ldapWithdrawn.toMillis() + " ms");

            given().get("/api/v1/directory/" + address + "/certificate").then().statusCode(404)
                    .body("detail", org.hamcrest.Matchers.containsString("revoked (keyCompromise)"));
            JsonPath entry = given().get("/api/v1/directory/" + address).then().statusCode(200).extract()
                    .jsonPath();
            assertEquals("revoked", entry.getString("certificates[0].status"));
            assertEquals(null, entry.getString("preferred"));
        }
    }

    private static boolean httpFinds(String address) {
        return given().get("/api/v1/directory/" + address + "/certificate").then().extract().statusCode() == 200;
    }

    private static List<byte[]> ldapCertificates(LDAPConnection connection, String address) {
        try {
            SearchResult result = connection.search("dc=pki", SearchScope.SUB, "(mail=" + address + ")",
                    "userCertificate;binary");
            return result.getSearchEntries().stream().map(SearchResultEntry::getAttributes)
                    .flatMap(attributes -> attributes.stream()).filter(a -> a.getName().startsWith("userCertificate"))
                    .flatMap(a -> List.of(a.getValueByteArrays()).stream()).toList();
        } catch (LDAPException e) {
            throw new AssertionError(e);
        }
    }

    /** How long until the condition held, polling every 10 ms for at most 10 s. */
    private static Duration within(BooleanSupplier condition) throws InterruptedException {
        Instant start = Instant.now();
        while (!condition.getAsBoolean()) {
            if (Duration.between(start, Instant.now()).toSeconds() > 10) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
        return Duration.between(start, Instant.now());
    }
}
