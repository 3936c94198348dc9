package dev.smimepki.core.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;

class CertificateTest {
    private static final TestPki PKI = TestPki.shared();

    @Test
    void fingerprintSerialAndSubjectAgreeWithOpenssl(@TempDir Path dir) {
        EndEntity alice = PKI.issue(EndEntitySpec.forEmails("alice@example.com").commonName("Alice Example")
                .serial(new BigInteger("00ab0000000000000001", 16)));
        Path file = alice.writeTo(dir, "alice").certificate();
        Certificate certificate = alice.certificate();

        String fingerprint = OpenSsl.run("x509", "-noout", "-fingerprint", "-sha256", "-in", file.toString());
        assertEquals(fingerprint.substring(fingerprint.indexOf('=') + 1).strip().replace(":", "")
                .toLowerCase(Locale.ROOT), certificate.fingerprintSha256());
        assertEquals(64, certificate.fingerprintSha256().length());

        String serial = OpenSsl.run("x509", "-noout", "-serial", "-in", file.toString());
        assertEquals("ab0000000000000001", certificate.serialHex());
        assertEquals(serial.strip().substring("serial=".length()).toLowerCase(Locale.ROOT).replaceFirst("^0+", ""),
                certificate.serialHex());

        String subject = OpenSsl.run("x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", file.toString());
        assertEquals("emailAddress=alice@example.com,CN=Alice Example", certificate.subject());
        assertEquals(subject.strip().substring("subject=".length()), certificate.subject());
        assertEquals("CN=smime-pki Test Issuing CA,O=smime-pki tests", certificate.issuer());
    }

    @Test
    void emailsComeFromSanThenSubjectDeduplicatedPerRfc8550() {
        Certificate certificate = PKI.issue(EndEntitySpec
                .forEmails("Alice@Example.COM", "bob@example.org", "alice@example.com", "ALICE@example.com")
                .subjectEmails("Alice@example.com", "carol@Example.net")).certificate();
        assertEquals(List.of("Alice@Example.COM", "bob@example.org", "alice@example.com", "ALICE@example.com",
                "carol@Example.net"), certificate.emails());
        assertTrue(certificate.coversEmail(EmailAddress.parse("carol@example.net")));
        assertTrue(certificate.coversEmail(EmailAddress.parse("Alice@example.com")));
        assertFalse(certificate.coversEmail(EmailAddress.parse("aLiCe@example.com")));
    }

    @Test
    void emailsFromSubjectOnlyWhenThereIsNoSan() {
        Certificate certificate = PKI.issue(EndEntitySpec.forEmails("dave@example.com").includeSan(false))
                .certificate();
        assertEquals(List.of("dave@example.com"), certificate.emails());
        Certificate none = PKI.issue(EndEntitySpec.forEmails().commonName("No Mail")).certificate();
        assertEquals(List.of(), none.emails());
    }

    @Test
    void rsaKeyUsagesAndEku() {
        Certificate certificate = PKI.issue("eve@example.com").certificate();
        assertTrue(certificate.hasKeyUsageExtension());
        assertEquals(EnumSet.of(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_ENCIPHERMENT), certificate.keyUsages());
        assertEquals(List.of("1.3.6.1.5.5.7.3.4"), certificate.extendedKeyUsages());
        assertTrue(certificate.hasEmailProtectionEku());
        assertFalse(certificate.isCa());
        assertEquals("RSA 2048", certificate.keyDescription());
    }

    @Test
    void ecCertificate() {
        Certificate certificate = PKI.issue(EndEntitySpec.forEmails("ec@example.com")
                .keyAlgorithm(KeyAlgorithm.EC_P384)).certificate();
        assertEquals(EnumSet.of(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_AGREEMENT), certificate.keyUsages());
        assertEquals("EC P-384", certificate.keyDescription());
        assertEquals(KeyAlgorithm.EC_P384, KeyAlgorithm.of(certificate.publicKey()));
    }

    @Test
    void everyKeyUsageBitIsRead() {
        KeyUsage[] all = KeyUsage.values();
        Certificate certificate = PKI.issue(EndEntitySpec.forEmails("all@example.com").keyUsages(all))
                .certificate();
        assertEquals(EnumSet.allOf(KeyUsage.class), certificate.keyUsages());
        for (KeyUsage usage : all) {
            Certificate single = PKI.issue(EndEntitySpec.forEmails("one@example.com").keyUsages(usage))
                    .certificate();
            assertEquals(EnumSet.of(usage), single.keyUsages(), usage.wireName());
            assertTrue(single.x509().getKeyUsage()[usage.bit()], usage.wireName());
        }
    }

    @Test
    void missingKeyUsageAndOtherEkus() {
        Certificate certificate = PKI.issue(EndEntitySpec.forEmails("x@example.com").includeKeyUsage(false)
                .extendedKeyUsages(EndEntitySpec.SERVER_AUTH)).certificate();
        assertFalse(certificate.hasKeyUsageExtension());
        assertEquals(EnumSet.noneOf(KeyUsage.class), certificate.keyUsages());
        assertEquals(List.of(EndEntitySpec.SERVER_AUTH), certificate.extendedKeyUsages());
        assertFalse(certificate.hasEmailProtectionEku());
        Certificate noEku = PKI.issue(EndEntitySpec.forEmails("y@example.com").extendedKeyUsages()).certificate();
        assertEquals(List.of(), noEku.extendedKeyUsages());
        assertFalse(noEku.hasEmailProtectionEku());
    }

    @Test
    void validityIsInclusiveAtBothEnds() {
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(100);
        Instant notAfter = notBefore.plusSeconds(1000);
        Certificate certificate = PKI.issue(EndEntitySpec.forEmails("v@example.com").validity(notBefore, notAfter))
                .certificate();
        assertEquals(notBefore, certificate.notBefore());
        assertEquals(notAfter, certificate.notAfter());
        assertTrue(certificate.isValidAt(notBefore));
        assertTrue(certificate.isValidAt(notAfter));
        assertFalse(certificate.isValidAt(notBefore.minusMillis(1)));
        assertFalse(certificate.isValidAt(notAfter.plusMillis(1)));
        assertFalse(PKI.issue(EndEntitySpec.forEmails("old@example.com").expired()).certificate()
                .isValidAt(Instant.now()));
    }

    @Test
    void keyIdentifiersLinkToTheIssuer() {
        Certificate certificate = PKI.issue("k@example.com").certificate();
        assertEquals(20, certificate.subjectKeyIdentifier().orElseThrow().length);
        assertArrayEquals(PKI.issuingCa().certificate().subjectKeyIdentifier().orElseThrow(),
                certificate.authorityKeyIdentifier().orElseThrow());
        byte[] copy = certificate.subjectKeyIdentifier().orElseThrow();
        copy[0] ^= 1;
        assertFalse(Arrays.equals(copy, certificate.subjectKeyIdentifier().orElseThrow()));
    }

    @Test
    void derAndPemRoundTrip() throws Exception {
        Certificate certificate = PKI.issue("rt@example.com").certificate();
        assertEquals(certificate, Certificate.of(certificate.der()));
        assertEquals(certificate, Certificate.fromPem(certificate.pem()));
        assertEquals(certificate, Certificate.of(certificate.x509()));
        assertEquals(certificate, Certificate.fromPemOrDer(certificate.der()));
        assertEquals(certificate, Certificate.fromPemOrDer(certificate.pem().getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(certificate.der(), certificate.x509().getEncoded());
        assertEquals(certificate.hashCode(), Certificate.of(certificate.der()).hashCode());
        assertNotEquals(certificate, PKI.issue("rt@example.com").certificate());
        byte[] der = certificate.der();
        der[10] ^= 1;
        assertArrayEquals(Certificate.of(certificate.der()).der(), certificate.der(), "der() returns a copy");
    }

    @Test
    void toStringHidesPersonalData() {
        Certificate certificate = PKI.issue("secret@example.com").certificate();
        assertFalse(certificate.toString().contains("secret"));
        assertTrue(certificate.toString().contains(certificate.fingerprintSha256()));
    }

    @Test
    void chainParsesFromPemAndWritesBack() {
        CertificateChain chain = PKI.chain();
        CertificateChain parsed = CertificateChain.fromPem("issuing CA and root:\n" + chain.pem());
        assertEquals(chain, parsed);
        assertEquals(2, parsed.size());
        assertEquals(chain.pem(), parsed.pem());
        assertEquals("", CertificateChain.of().pem());
        var e = assertThrows(PkiFormatException.class, () -> CertificateChain.fromPem(chain.pem()
                + Pem.encode(PemType.PRIVATE_KEY, PKI.root().privateKey().getEncoded())));
        assertEquals("unexpected PEM block PRIVATE KEY, expected CERTIFICATE", e.getMessage());
    }

    @Test
    void pemOfAnotherTypeIsNotACertificate() {
        String key = Pem.encode(PemType.PUBLIC_KEY, PKI.root().certificate().publicKey().getEncoded());
        var e = assertThrows(PkiFormatException.class, () -> Certificate.fromPem(key));
        assertEquals("unexpected PEM block PUBLIC KEY, expected CERTIFICATE", e.getMessage());
        String notACert = Pem.encode(PemType.CERTIFICATE, PKI.root().certificate().publicKey().getEncoded());
        var e2 = assertThrows(PkiFormatException.class, () -> Certificate.fromPem(notACert));
        assertEquals("not a DER-encoded X.509 certificate", e2.getMessage());
    }
}
