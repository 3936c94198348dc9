package dev.smimepki.crypto.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.crypto.Gpgsm;
import dev.smimepki.crypto.Messages;
import dev.smimepki.crypto.keys.DigestAlgorithm;
import dev.smimepki.crypto.keys.SignatureScheme;
import dev.smimepki.crypto.keys.SigningKey;
import dev.smimepki.crypto.keys.TestPkiKeys;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.crypto.verification.SmimeVerifier;
import dev.smimepki.crypto.verification.VerificationReport;

/**
 * Messages signed here verify with openssl, gpgsm and our own verifier; one changed body byte fails all three. Keys
 * are held by {@link TestPkiKeys}, the stand-in for keystore-service.
 */
class SmimeSignerTest {
    private static final String BODY = "The figures for Q4 are attached.\nRegards,\nAlice\n";
    private static final TestPki PKI = TestPki.shared();
    private static final TestPkiKeys KEYS = new TestPkiKeys();

    @TempDir
    static Path dir;
    private static TestPki.PemFiles pkiFiles;

    @BeforeAll
    static void keys() {
        KEYS.add(PKI.issue(EndEntitySpec.forEmails("rsa@example.com").keyAlgorithm(KeyAlgorithm.RSA_2048)));
        KEYS.add(PKI.issue(EndEntitySpec.forEmails("p256@example.com").keyAlgorithm(KeyAlgorithm.EC_P256)));
        KEYS.add(PKI.issue(EndEntitySpec.forEmails("p384@example.com").keyAlgorithm(KeyAlgorithm.EC_P384)));
        pkiFiles = PKI.writeTo(dir.resolve("pki"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "rsa@example.com, RSA_PKCS1, DETACHED, sha-256",
            "rsa@example.com, RSA_PKCS1, OPAQUE, sha-256",
            "rsa@example.com, RSA_PSS, DETACHED, sha-256",
            "p256@example.com, ECDSA, DETACHED, sha-256",
            "p256@example.com, ECDSA, OPAQUE, sha-256",
            "p384@example.com, ECDSA, DETACHED, sha-384"})
    void opensslAndOurVerifierAcceptAndDetectOneChangedByte(String mailbox, SignatureScheme scheme,
            SignatureMode mode, String micalg) throws Exception {
        byte[] signed = sign(mailbox, scheme, mode);
        String text = new String(signed, StandardCharsets.US_ASCII);
        if (mode == SignatureMode.DETACHED) {
            assertTrue(text.contains("micalg=" + micalg + ";"), "micalg announces the digest: " + text);
            assertTrue(text.contains("protocol=\"application/pkcs7-signature\""));
            assertTrue(text.contains("The figures for Q4"), "detached content stays readable");
        } else {
            assertTrue(text.contains("smime-type=signed-data"));
            assertFalse(text.contains("The figures for Q4"), "opaque content is inside the CMS structure");
        }
        assertTrue(text.startsWith("From: Sender <" + mailbox + ">\r\n"), "message fields stay outside");

        Path file = Files.write(dir.resolve(mailbox + scheme + mode + ".eml"), signed);
        Path content = dir.resolve(mailbox + scheme + mode + ".out");
        OpenSsl.run("cms", "-verify", "-in", file.toString(), "-CAfile", pkiFiles.root().toString(), "-out",
                content.toString());
        assertTrue(Files.readString(content)
                .contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                        + BODY.replace("\n", "\r\n")),
                "openssl returns the signed part unchanged");

        VerificationReport report = verify(signed);
        assertTrue(report.valid(), report.problems().toString());
        assertTrue(report.signatureValid());
        assertTrue(report.chainTrusted());
        assertEquals(mailbox, report.signer().email());
        assertEquals(KEYS.signingKeyFor(EmailAddress.parse(mailbox)).certificate().fingerprintSha256(),
                report.signer().fingerprintSha256());
        assertTrue(report.signingTime() != null, "signingTime signed attribute present");
        assertEquals(List.of(CMSAlgorithm.AES256_CBC.getId(), CMSAlgorithm.AES128_CBC.getId()),
                report.smimeCapabilities(),
                "SMIMECapabilities announce AES-256-CBC, AES-128-CBC and not GCM, which Thunderbird cannot read");

        byte[] tampered = mode == SignatureMode.DETACHED
                ? Messages.tamper(signed, "Q4")
                : tamperInsideCms(signed, "Q4");
        Path tamperedFile = Files.write(dir.resolve(mailbox + scheme + mode + ".tampered.eml"), tampered);
        assertNotEquals(0, OpenSsl.exec("cms", "-verify", "-in", tamperedFile.toString(), "-CAfile",
                pkiFiles.root().toString(), "-out", dir.resolve("ignored.out").toString()).exitCode());
        VerificationReport tamperedReport = verify(tampered);
        assertFalse(tamperedReport.valid());
        assertFalse(tamperedReport.signatureValid());
        assertTrue(tamperedReport.problems().contains(
                "the content was altered after signing: its digest does not match the signed digest"),
                tamperedReport.problems().toString());
    }

    @Test
    void gcmIsAnnouncedFirstOnlyWhenConfigured() throws Exception {
        SigningKey key = KEYS.signingKeyFor(EmailAddress.parse("rsa@example.com"));
        byte[] signed;
        try (SpooledMessage message = Messages.spool(Messages.plain("rsa@example.com", "bob@example.org", BODY))) {
            signed = Messages.bytes(out -> new SmimeSigner(KEYS, true).sign(message, key, SignatureScheme.RSA_PKCS1,
                    DigestAlgorithm.SHA_256, SignatureMode.DETACHED, out));
        }
        VerificationReport report = verify(signed);
        assertTrue(report.valid(), report.problems().toString());
        assertEquals(List.of(CMSAlgorithm.AES256_GCM.getId(), CMSAlgorithm.AES256_CBC.getId(),
                CMSAlgorithm.AES128_CBC.getId()), report.smimeCapabilities());
    }

    @Test
    void chainIsIncludedSoARecipientNeedsOnlyTheRoot() throws Exception {
        byte[] signed = sign("rsa@example.com", SignatureScheme.RSA_PKCS1, SignatureMode.OPAQUE);
        Path file = Files.write(dir.resolve("chain.eml"), signed);
        Path certs = dir.resolve("chain-certs.pem");
        OpenSsl.run("cms", "-verify", "-in", file.toString(), "-CAfile", pkiFiles.root().toString(), "-certsout",
                certs.toString(), "-out", dir.resolve("chain.out").toString());
        String pem = Files.readString(certs);
        assertEquals(3, pem.split("BEGIN CERTIFICATE").length - 1, "signer, issuing CA and root travel along");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rsa@example.com, RSA_PKCS1", "p256@example.com, ECDSA"})
    void gpgsmVerifiesDetachedSignatureAndRejectsOneChangedByte(String mailbox, SignatureScheme scheme)
            throws Exception {
        byte[] signed = sign(mailbox, scheme, SignatureMode.DETACHED);
        Path work = Files.createDirectories(dir.resolve("gpgsm-" + scheme));
        DetachedParts parts = DetachedParts.of(signed);
        Path data = Files.write(work.resolve("data"), parts.content());
        Path signature = Files.write(work.resolve("smime.p7s"), parts.signature());
        Path tampered = Files.write(work.resolve("tampered"), Messages.tamper(parts.content(), "Q4"));
        try (Gpgsm gpgsm = Gpgsm.trusting(work, PKI.root().certificate())) {
            gpgsm.run("--batch", "--import", pkiFiles.issuingCa().toString());
            Gpgsm.Result good = gpgsm.run("--batch", "--verify", signature.toString(), data.toString());
            assertEquals(0, good.exitCode(), good.output());
            assertTrue(good.output().contains("Good signature"), good.output());
            Gpgsm.Result bad = gpgsm.run("--batch", "--verify", signature.toString(), tampered.toString());
            assertNotEquals(0, bad.exitCode(), bad.output());
            assertTrue(bad.output().contains("message digest attribute does not match"), bad.output());
        }
    }

    /** Opaque: decode the base64 body, change one byte of the encapsulated content, encode again. */
    static byte[] tamperInsideCms(byte[] message, String marker) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        byte[] cms = Base64.getMimeDecoder().decode(text.substring(bodyStart).strip());
        byte[] changed = Messages.tamper(cms, marker);
        return (text.substring(0, bodyStart) + Base64.getMimeEncoder().encodeToString(changed) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] sign(String mailbox, SignatureScheme scheme, SignatureMode mode) throws IOException {
        SigningKey key = KEYS.signingKeyFor(EmailAddress.parse(mailbox));
        try (SpooledMessage message = Messages.spool(Messages.plain(mailbox, "bob@example.org", BODY))) {
            KeyAlgorithm algorithm = KeyAlgorithm.of(key.certificate().publicKey());
            return Messages.bytes(out -> new SmimeSigner(KEYS).sign(message, key, scheme,
                    DigestAlgorithm.forKey(algorithm), mode, out));
        }
    }

    private static VerificationReport verify(byte[] message) {
        try (SpooledMessage spooled = Messages.spool(message)) {
            return new SmimeVerifier(() -> List.of(PKI.root().certificate())).verify(spooled).report();
        }
    }

    /** The signed part and the decoded signature of a multipart/signed message, for gpgsm's detached verify. */
    record DetachedParts(byte[] content, byte[] signature) {
        static DetachedParts of(byte[] message) {
            String text = new String(message, StandardCharsets.ISO_8859_1);
            Matcher boundary = Pattern.compile("boundary=\"([^\"]+)\"").matcher(text);
            assertTrue(boundary.find());
            String delimiter = "--" + boundary.group(1);
            int first = text.indexOf(delimiter + "\r\n") + delimiter.length() + 2;
            int second = text.indexOf("\r\n" + delimiter, first);
            String signaturePart = text.substring(second + 2 + delimiter.length() + 2,
                    text.indexOf("\r\n" + delimiter + "--"));
            String base64 = signaturePart.substring(signaturePart.indexOf("\r\n\r\n") + 4);
            return new DetachedParts(text.substring(first, second).getBytes(StandardCharsets.ISO_8859_1),
                    Base64.getMimeDecoder().decode(base64));
        }
    }
}
