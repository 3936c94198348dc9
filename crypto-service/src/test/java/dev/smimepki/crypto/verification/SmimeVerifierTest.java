package dev.smimepki.crypto.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.crypto.Gpgsm;
import dev.smimepki.crypto.Messages;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.events.CertificateHarvested;
import dev.smimepki.runtime.problem.ProblemException;

/** Messages signed by openssl and gpgsm verify here; each kind of damage is reported by name. */
class SmimeVerifierTest {
    private static final String DIGEST_MISMATCH = "the content was altered after signing: its digest does not match the signed digest";
    private static final TestPki PKI = TestPki.shared();
    private static final String CONTENT = "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe Q4 figures.\r\n";

    @TempDir
    static Path dir;
    private static EndEntity alice;
    private static EndEntity.PemFiles aliceFiles;
    private static Path content;

    @BeforeAll
    static void setUp() throws Exception {
        alice = PKI.issue(EndEntitySpec.forEmails("alice@example.com").keyAlgorithm(KeyAlgorithm.EC_P256));
        aliceFiles = alice.writeTo(dir, "alice");
        content = Files.writeString(dir.resolve("content.txt"), CONTENT);
    }

    @Test
    void opensslDetachedSignatureIsValid() {
        byte[] message = opensslSign("alice@example.com", "-md", "sha256");
        SmimeVerifier.Verification verification = verify(message, anchors());
        VerificationReport report = verification.report();
        assertTrue(report.signed());
        assertTrue(report.valid(), report.problems().toString());
        assertEquals(SmimeVerifier.FORMAT_DETACHED, report.format());
        assertTrue(report.chainTrusted());
        assertEquals("alice@example.com", report.signer().email());
        assertEquals(alice.certificate().fingerprintSha256(), report.signer().fingerprintSha256());
        assertEquals("unknown", report.revocation(), "this verifier is offline and says so");
        assertEquals("revocation is not checked: pki.crypto.revocation.enabled is false", report.revocationDetail());
        assertTrue(report.signingTime() != null);
        assertTrue(report.smimeCapabilities() != null && !report.smimeCapabilities().isEmpty(),
                "openssl announces its capabilities");

        CertificateHarvested harvest = verification.harvest();
        assertEquals(alice.certificate().fingerprintSha256(), harvest.fingerprintSha256());
        assertEquals(List.of("alice@example.com"), harvest.emails());
        assertTrue(harvest.signatureValid());
        assertEquals(alice.certificate(), Certificate.fromPem(harvest.certificatePem()));
        assertTrue(harvest.chainPem().contains(PKI.issuingCa().certificate().pem()), "intermediate harvested");
        assertEquals(report.smimeCapabilities(), harvest.smimeCapabilities());
    }

    @Test
    void opensslOpaqueSignatureIsValid() {
        VerificationReport report = verify(opensslSign("alice@example.com", "-nodetach"), anchors()).report();
        assertTrue(report.valid(), report.problems().toString());
        assertEquals(SmimeVerifier.FORMAT_OPAQUE, report.format());
    }

    @Test
    void oneChangedBodyByteIsInvalidWithTheReason() {
        byte[] tampered = Messages.tamper(opensslSign("alice@example.com"), "Q4");
        SmimeVerifier.Verification verification = verify(tampered, anchors());
        assertTrue(verification.report().signed());
        assertFalse(verification.report().valid());
        assertFalse(verification.report().signatureValid());
        assertEquals(List.of(DIGEST_MISMATCH), verification.report().problems());
        assertFalse(verification.harvest().signatureValid(), "harvested, flagged invalid for consumers to skip");
    }

    @Test
    void fromAddressNotInTheCertificateIsAProblem() {
        VerificationReport report = verify(opensslSign("mallory@example.com"), anchors()).report();
        assertFalse(report.valid());
        assertTrue(report.signatureValid(), "the signature itself is fine");
        assertEquals(List.of("the From address mallory@example.com is not a mailbox of the signer's certificate "
                + "[alice@example.com]"), report.problems());
    }

    @Test
    void unknownRootIsNotTrusted() {
        TestPki other = TestPki.create();
        VerificationReport report = verify(opensslSign("alice@example.com"), List.of(other.root().certificate()))
                .report();
        assertFalse(report.valid());
        assertFalse(report.chainTrusted());
        assertTrue(report.signatureValid());
        assertEquals(1, report.problems().size());
        assertTrue(report.problems().get(0).startsWith("no valid certificate chain leads from the signer"),
                report.problems().toString());

        VerificationReport noAnchors = verify(opensslSign("alice@example.com"), List.of()).report();
        assertFalse(noAnchors.chainTrusted());
        assertEquals(List.of("no trust anchors are configured, so the signer's certificate chain cannot be trusted"),
                noAnchors.problems());
    }

    @Test
    void sha1DigestIsRefusedByPolicy() {
        VerificationReport report = verify(opensslSign("alice@example.com", "-md", "sha1"), anchors()).report();
        assertFalse(report.valid());
        assertTrue(report.signatureValid());
        assertEquals(1, report.problems().size(), report.problems().toString());
        assertTrue(report.problems().get(0).contains("is not accepted; SHA-256 or stronger is required"));
    }

    @Test
    void gpgsmSignatureIsValidAndItsTamperedCopyIsNot() throws Exception {
        EndEntity gary = PKI.issue(EndEntitySpec.forEmails("gary@example.com"));
        Path work = Files.createDirectories(dir.resolve("gpgsm"));
        Path data = Files.writeString(work.resolve("data"), CONTENT);
        Path signature = work.resolve("sig.p7s");
        try (Gpgsm gpgsm = Gpgsm.trusting(work, PKI.root().certificate())) {
            gpgsm.importKey(work, gary);
            Gpgsm.Result signed = gpgsm.runWithInput("test\n", "--batch", "--pinentry-mode", "loopback",
                    "--passphrase-fd", "0", "-u", "gary@example.com", "--detach-sign", "-o", signature.toString(),
                    data.toString());
            assertEquals(0, signed.exitCode(), signed.output());
        }
        String base64 = Base64.getMimeEncoder().encodeToString(Files.readAllBytes(signature));
        String message = "From: gary@example.com\r\nTo: bob@example.org\r\nSubject: gpgsm\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;"
                + " boundary=\"gpgsm-b\"\r\n\r\n--gpgsm-b\r\n" + Files.readString(data) + "\r\n--gpgsm-b\r\n"
                + "Content-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64
                + "\r\n--gpgsm-b--\r\n";
        VerificationReport report = verify(message.getBytes(StandardCharsets.US_ASCII), anchors()).report();
        assertTrue(report.valid(), report.problems().toString());
        assertEquals("gary@example.com", report.signer().email());

        VerificationReport tampered = verify(Messages.tamper(message.getBytes(StandardCharsets.US_ASCII), "Q4"),
                anchors()).report();
        assertFalse(tampered.valid());
        assertEquals(List.of(DIGEST_MISMATCH), tampered.problems());
    }

    @Test
    void unsignedMessageIsReportedAsUnsigned() {
        SmimeVerifier.Verification verification = verify(
                Messages.plain("alice@example.com", "bob@example.org", "hello\n").getBytes(StandardCharsets.UTF_8),
                anchors());
        assertFalse(verification.report().signed());
        assertFalse(verification.report().valid());
        assertEquals(List.of("the message is not signed"), verification.report().problems());
        assertNull(verification.harvest());
    }

    @Test
    void badInputIsAClientError() {
        ProblemException notMime = assertThrows(ProblemException.class,
                () -> verify("this is not a mail at all\r\n".getBytes(StandardCharsets.US_ASCII), anchors()));
        assertEquals(400, notMime.kind().status());

        String opaque = new String(opensslSign("alice@example.com", "-nodetach"), StandardCharsets.US_ASCII);
        String truncated = opaque.substring(0, opaque.length() / 2);
        ProblemException cut = assertThrows(ProblemException.class,
                () -> verify(truncated.getBytes(StandardCharsets.US_ASCII), anchors()));
        assertEquals(400, cut.kind().status());
        assertEquals("malformed-cms", cut.code());

        String detached = new String(opensslSign("alice@example.com"), StandardCharsets.US_ASCII);
        String noClosingBoundary = detached.substring(0, detached.lastIndexOf("------"));
        ProblemException open = assertThrows(ProblemException.class,
                () -> verify(noClosingBoundary.getBytes(StandardCharsets.US_ASCII), anchors()));
        assertEquals(400, open.kind().status());
    }

    private static byte[] opensslSign(String from, String... options) {
        try {
            Path out = Files.createTempFile(dir, "signed", ".eml");
            List<String> args = new java.util.ArrayList<>(List.of("cms", "-sign", "-in", content.toString(),
                    "-signer", aliceFiles.certificate().toString(), "-inkey", aliceFiles.privateKey().toString(),
                    "-certfile", aliceFiles.chain().toString(), "-from", from, "-to", "bob@example.org", "-subject",
                    "figures", "-out", out.toString()));
            args.addAll(List.of(options));
            OpenSsl.run(args.toArray(String[]::new));
            return Files.readAllBytes(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Collection<Certificate> anchors() {
        return List.of(PKI.root().certificate());
    }

    private static SmimeVerifier.Verification verify(byte[] message, Collection<Certificate> anchors) {
        try (SpooledMessage spooled = Messages.spool(message)) {
            return new SmimeVerifier(() -> anchors).verify(spooled);
        }
    }
}
