package dev.smimepki.core.testpki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.policy.KeyAlgorithm;

class TestPkiTest {
    private static final TestPki PKI = TestPki.shared();

    @Test
    void sharedIsOneInstance() {
        assertSame(PKI, TestPki.shared());
    }

    @Test
    void rootIsASelfSignedCriticalCa() throws Exception {
        Certificate root = PKI.root().certificate();
        assertTrue(root.isCa());
        assertTrue(root.isSelfIssued());
        root.x509().verify(root.publicKey());
        assertEquals(EnumSet.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN), root.keyUsages());
        assertTrue(root.x509().getCriticalExtensionOIDs().containsAll(
                Set.of(Extension.basicConstraints.getId(), Extension.keyUsage.getId())));
        assertArrayEquals(root.subjectKeyIdentifier().orElseThrow(), root.authorityKeyIdentifier().orElseThrow());
    }

    @Test
    void issuingCaIsSignedByTheRoot() throws Exception {
        Certificate root = PKI.root().certificate();
        Certificate issuing = PKI.issuingCa().certificate();
        assertTrue(issuing.isCa());
        assertFalse(issuing.isSelfIssued());
        assertEquals(root.subject(), issuing.issuer());
        issuing.x509().verify(root.publicKey());
        assertEquals(0, issuing.x509().getBasicConstraints());
        assertArrayEquals(root.subjectKeyIdentifier().orElseThrow(), issuing.authorityKeyIdentifier().orElseThrow());
        assertEquals(List.of(issuing, root), PKI.chain().certificates());
    }

    @Test
    void validityIsRelativeToNow() {
        Instant now = Instant.now();
        assertTrue(PKI.root().certificate().isValidAt(now));
        assertTrue(PKI.issuingCa().certificate().isValidAt(now.minus(Duration.ofDays(365))));
        Certificate leaf = PKI.issue("now@example.com").certificate();
        assertTrue(leaf.notBefore().isBefore(now));
        assertTrue(leaf.notBefore().isAfter(now.minus(Duration.ofHours(2))));
        assertTrue(leaf.notAfter().isAfter(now.plus(Duration.ofDays(364))));
        assertTrue(leaf.notAfter().isBefore(now.plus(Duration.ofDays(366))));
    }

    @Test
    void serialsArePositiveRandomAndAtLeast64Bits() {
        BigInteger a = PKI.issue("a@example.com").certificate().serial();
        BigInteger b = PKI.issue("a@example.com").certificate().serial();
        assertTrue(a.signum() > 0);
        assertTrue(a.bitLength() >= 64);
        assertFalse(a.equals(b));
    }

    @Test
    void endEntityCarriesTheChainAndMatchingKey() throws Exception {
        EndEntity alice = PKI.issue("alice@example.com");
        assertEquals(PKI.chain(), alice.chain());
        assertEquals(alice.keyPair().getPublic(), alice.certificate().publicKey());
        alice.certificate().x509().verify(PKI.issuingCa().certificate().publicKey());
        assertEquals(List.of(alice.certificate(), PKI.issuingCa().certificate(), PKI.root().certificate()),
                alice.fullChain().certificates());
        assertFalse(alice.certificate().isCa());
    }

    @Test
    void opensslVerifiesRsaAndEcCertificatesForSmime(@TempDir Path dir) {
        TestPki.PemFiles ca = PKI.writeTo(dir);
        EndEntity.PemFiles rsa = PKI.issue("rsa@example.com").writeTo(dir, "rsa");
        EndEntity.PemFiles ec = PKI.issue(EndEntitySpec.forEmails("ec@example.com").keyAlgorithm(KeyAlgorithm.EC_P256))
                .writeTo(dir, "ec");
        String verified = OpenSsl.run("verify", "-CAfile", ca.root().toString(), "-untrusted",
                ca.issuingCa().toString(), "-purpose", "smimesign", rsa.certificate().toString(),
                ec.certificate().toString());
        assertTrue(verified.contains(rsa.certificate() + ": OK"), verified);
        assertTrue(verified.contains(ec.certificate() + ": OK"), verified);
        // The chain file is issuing CA then root, enough for -untrusted plus -CAfile.
        OpenSsl.run("verify", "-CAfile", ca.root().toString(), "-untrusted", rsa.chain().toString(),
                rsa.certificate().toString());
    }

    @Test
    void opensslReadsThePrivateKeyOfTheCertificate(@TempDir Path dir) {
        EndEntity.PemFiles files = PKI.issue("keys@example.com").writeTo(dir, "keys");
        String fromCert = OpenSsl.run("x509", "-noout", "-pubkey", "-in", files.certificate().toString());
        String fromKey = OpenSsl.run("pkey", "-pubout", "-in", files.privateKey().toString());
        assertEquals(fromCert, fromKey);
    }

    @Test
    void expiredCertificateIsRejectedByOpenssl(@TempDir Path dir) {
        TestPki.PemFiles ca = PKI.writeTo(dir);
        EndEntity expired = PKI.issue(EndEntitySpec.forEmails("old@example.com").expired());
        assertFalse(expired.certificate().isValidAt(Instant.now()));
        EndEntity.PemFiles files = expired.writeTo(dir, "old");
        OpenSsl.Result result = OpenSsl.exec("verify", "-CAfile", ca.root().toString(), "-untrusted",
                ca.issuingCa().toString(), files.certificate().toString());
        assertTrue(result.exitCode() != 0 && result.output().contains("expired"), result.output());
    }
}
