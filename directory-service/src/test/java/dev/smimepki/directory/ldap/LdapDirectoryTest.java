package dev.smimepki.directory.ldap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.BrokerEvents;
import dev.smimepki.directory.store.CertificateStore;

/** The LDAP directory as OpenLDAP's ldapsearch (and so Thunderbird and Outlook) sees it. */
@QuarkusTest
class LdapDirectoryTest {
    @Inject
    LdapDirectoryServer server;

    @Inject
    CertificateStore store;

    @TempDir
    Path dir;

    @Test
    void ldapsearchReturnsTheDerCertificateThatOpensslParses() throws Exception {
        String address = "ldap-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        EndEntity entity = TestPki.shared().issue(EndEntitySpec.forEmails(address).commonName("Lena Ldap"));
        record(entity);

        Ldapsearch.Result result = Ldapsearch.search(server.port(), "(mail=" + address + ")",
                "userCertificate;binary");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of("mail=" + address + ",dc=pki"), result.dns());
        assertEquals(1, result.certificates().size(), result.output());
        assertArrayEquals(entity.certificate().der(), result.certificates().get(0));
        Path der = Files.write(dir.resolve("cert.der"), result.certificates().get(0));
        String parsed = OpenSsl.run("x509", "-inform", "DER", "-in", der.toString(), "-noout", "-fingerprint",
                "-sha256", "-subject");
        assertTrue(parsed.replace(":", "").toLowerCase().contains(entity.certificate().fingerprintSha256()), parsed);
        assertTrue(parsed.contains("Lena Ldap"), parsed);

        Ldapsearch.Result all = Ldapsearch.search(server.port(), "(mail=" + address + ")");
        assertTrue(all.output().contains("cn: Lena Ldap"), all.output());
        assertTrue(all.output().contains("mail: " + address), all.output());
        assertTrue(all.output().contains("objectClass: inetOrgPerson"), all.output());
        Ldapsearch.Result mailOnly = Ldapsearch.search(server.port(), "(mail=" + address + ")", "mail");
        assertTrue(mailOnly.certificates().isEmpty() && mailOnly.output().contains("mail: "), mailOnly.output());
    }

    @Test
    void orFilterUsableOnlyAtMostTwoMostPreferredAndTheDomainCaseInsensitive() {
        String a = "ldap-a-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String b = "ldap-b-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Instant now = Instant.now();
        EndEntity newest = TestPki.shared().issue(EndEntitySpec.forEmails(a).keyAlgorithm(KeyAlgorithm.EC_P256)
                .validity(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(30))));
        EndEntity middle = TestPki.shared().issue(EndEntitySpec.forEmails(a)
                .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
        EndEntity oldest = TestPki.shared().issue(EndEntitySpec.forEmails(a)
                .validity(now.minus(Duration.ofHours(2)), now.plus(Duration.ofDays(30))));
        EndEntity signingOnly = TestPki.shared().issue(EndEntitySpec.forEmails(a)
                .keyUsages(KeyUsage.DIGITAL_SIGNATURE).validity(now.minus(Duration.ofSeconds(1)),
                        now.plus(Duration.ofDays(30))));
        EndEntity ofB = TestPki.shared().issue(b);
        List.of(newest, middle, oldest, signingOnly, ofB).forEach(this::record);

        Ldapsearch.Result result = Ldapsearch.search(server.port(), "(|(mail=" + a + ")(mail="
                + b.replace("example.com", "EXAMPLE.com") + "))", "userCertificate;binary");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of("mail=" + a + ",dc=pki", "mail=" + b + ",dc=pki"), result.dns());
        List<byte[]> certificates = result.certificates();
        assertEquals(3, certificates.size(), "two for a (most preferred), one for b");
        assertArrayEquals(newest.certificate().der(), certificates.get(0));
        assertArrayEquals(middle.certificate().der(), certificates.get(1));
        assertArrayEquals(ofB.certificate().der(), certificates.get(2));

        Ldapsearch.Result limited = Ldapsearch.run("ldapsearch", "-x", "-H", "ldap://127.0.0.1:" + server.port(),
                "-b", "dc=pki", "-LLL", "-z", "1", "(|(mail=" + a + ")(mail=" + b + "))", "mail");
        assertEquals(4, limited.exitCode(), "sizeLimitExceeded: " + limited.output());
        assertEquals(1, limited.dns().size(), limited.output());

        assertEquals(List.of(), Ldapsearch.search(server.port(), "(mail=*)").dns(), "no enumeration");
        assertEquals(List.of(), Ldapsearch.search(server.port(), "(mail=" + a.toUpperCase() + ")").dns(),
                "the local part is matched as given");
        assertEquals(List.of(), Ldapsearch.search(server.port(), "(&(mail=" + a + ")(cn=someone else))").dns(),
                "the whole filter applies");
    }

    @Test
    void onlyAnonymousBindAndSearchEverythingElseIsRefusedWithLdapResultCodes() {
        String url = "ldap://127.0.0.1:" + server.port();
        Ldapsearch.Result bound = Ldapsearch.run("ldapsearch", "-x", "-H", url, "-D", "cn=admin,dc=pki", "-w",
                "secret", "-b", "dc=pki", "(mail=x@example.com)");
        assertEquals(48, bound.exitCode(), "inappropriateAuthentication: " + bound.output());
        Ldapsearch.Result deleted = Ldapsearch.run("ldapdelete", "-x", "-H", url, "mail=x@example.com,dc=pki");
        assertEquals(53, deleted.exitCode(), "unwillingToPerform: " + deleted.output());
        Ldapsearch.Result otherBase = Ldapsearch.run("ldapsearch", "-x", "-H", url, "-b", "dc=example,dc=com",
                "(mail=x@example.com)");
        assertEquals(32, otherBase.exitCode(), "noSuchObject: " + otherBase.output());
        Ldapsearch.Result rootDse = Ldapsearch.run("ldapsearch", "-x", "-H", url, "-b", "", "-s", "base",
                "-LLL", "(objectClass=*)", "namingContexts");
        assertEquals(0, rootDse.exitCode(), rootDse.output());
        assertTrue(rootDse.output().contains("namingContexts: dc=pki"), rootDse.output());
    }

    private void record(EndEntity entity) {
        QuarkusTransaction.requiringNew().run(() -> store.recordIssued(BrokerEvents.issued(entity), Instant.now()));
    }
}
