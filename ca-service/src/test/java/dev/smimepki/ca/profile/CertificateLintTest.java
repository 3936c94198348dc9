package dev.smimepki.ca.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.runtime.problem.Problem;

/** The lint names each broken S/MIME rule of a candidate, and nothing else. */
class CertificateLintTest {
    private static final TestPki PKI = TestPki.shared();
    private static final String ALICE = "alice@example.com";

    /** TestPki certificates lack only what this service adds: the policy OID and caIssuers. */
    private static final Set<String> TEST_PKI_GAPS = Set.of("certificatePolicies.mailboxValidated",
            "authorityInfoAccess.caIssuers");

    @Test
    void aCertificateOfTheRightShapeOnlyLacksWhatTestPkiLeavesOut() {
        assertEquals(TEST_PKI_GAPS, checks(spec(), SmimeProfile.MULTIPURPOSE, CertificateUsage.DUAL, ALICE));
    }

    @Test
    void eachBrokenRuleIsNamed() {
        assertBroken(spec().includeKeyUsage(false), "keyUsage.present");
        assertBroken(spec().keyUsages(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_CERT_SIGN), "keyUsage.forKeyAndUsage");
        assertBroken(spec().keyUsages(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.NON_REPUDIATION, KeyUsage.KEY_AGREEMENT),
                "keyUsage.forKeyAndUsage");
        assertBroken(spec().keyAlgorithm(KeyAlgorithm.EC_P256).keyUsages(KeyUsage.DIGITAL_SIGNATURE,
                KeyUsage.KEY_ENCIPHERMENT), "keyUsage.forKeyAndUsage");
        assertBroken(spec().extendedKeyUsages(EndEntitySpec.EMAIL_PROTECTION, EndEntitySpec.SERVER_AUTH),
                "extKeyUsage.forbidden");
        assertBroken(spec().extendedKeyUsages(), "extKeyUsage.emailProtection");
        assertBroken(spec().includeSan(false), "subjectAltName.present");
        assertBroken(spec().emails(ALICE, "mallory@example.com"), "subjectAltName.requestedMailboxes");
        assertBroken(spec().subjectEmails(), "subject.emailAddress");
        assertBroken(spec().serial(BigInteger.valueOf(5)), "serial.entropy");
        assertBroken(spec().validity(Instant.now(), Instant.now().plus(Duration.ofDays(900))), "validity.maximum");
        assertBroken(spec().validity(Instant.now(), Instant.now().plus(Duration.ofDays(4000))),
                "validity.withinIssuer");
        assertBroken(spec().signatureAlgorithm("SHA1withRSA"), "signature.algorithm");
        assertBroken(spec().keyPair(TestPki.rsaKeyPair(1024, BigInteger.valueOf(65537))), "key.accepted");
        assertBroken(spec().crlDistributionPoint(null), "cRLDistributionPoints.http");
        assertBroken(spec().ocspResponder("https://ocsp.example.com/"), "authorityInfoAccess.ocsp");
    }

    @Test
    void strictAllowsEmailProtectionOnlyAndNoDataEncipherment() {
        EndEntitySpec clientAuthToo = spec().extendedKeyUsages(EndEntitySpec.EMAIL_PROTECTION, "1.3.6.1.5.5.7.3.2");
        assertEquals(TEST_PKI_GAPS, checks(clientAuthToo, SmimeProfile.MULTIPURPOSE, CertificateUsage.DUAL, ALICE));
        assertTrue(checks(clientAuthToo, SmimeProfile.STRICT, CertificateUsage.DUAL, ALICE)
                .contains("extKeyUsage.strictOnlyEmailProtection"));
        EndEntitySpec multipurposeBits = spec().keyUsages(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.NON_REPUDIATION,
                KeyUsage.KEY_ENCIPHERMENT, KeyUsage.DATA_ENCIPHERMENT);
        assertTrue(checks(multipurposeBits, SmimeProfile.STRICT, CertificateUsage.DUAL, ALICE)
                .contains("keyUsage.forKeyAndUsage"));
    }

    @Test
    void everyRequestedMailboxMustBeInTheSan() {
        assertTrue(checks(spec(), SmimeProfile.MULTIPURPOSE, CertificateUsage.DUAL, ALICE, "bob@example.com")
                .contains("subjectAltName.everyMailbox"));
    }

    private static EndEntitySpec spec() {
        return EndEntitySpec.forEmails(ALICE)
                .keyUsages(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.NON_REPUDIATION, KeyUsage.KEY_ENCIPHERMENT,
                        KeyUsage.DATA_ENCIPHERMENT)
                .crlDistributionPoint("http://ca.example.com/crl/1")
                .ocspResponder("http://ca.example.com/ocsp/1");
    }

    private static void assertBroken(EndEntitySpec spec, String check) {
        Set<String> checks = checks(spec, SmimeProfile.MULTIPURPOSE, CertificateUsage.DUAL, ALICE);
        assertTrue(checks.contains(check), check + " expected in " + checks);
    }

    private static Set<String> checks(EndEntitySpec spec, SmimeProfile profile, CertificateUsage usage,
            String... mailboxes) {
        EndEntity candidate = PKI.issue(spec);
        List<Problem.Violation> violations = CertificateLint.check(
                new X509CertificateHolder(org.bouncycastle.asn1.x509.Certificate.getInstance(
                        candidate.certificate().der())),
                new CertificateLint.Expectation(profile, usage,
                        List.of(mailboxes).stream().map(EmailAddress::parse).toList(),
                        PKI.issuingCa().certificate()));
        violations.forEach(v -> assertTrue(v.message() != null && !v.message().isBlank()));
        return violations.stream().map(Problem.Violation::check).collect(Collectors.toSet());
    }
}
