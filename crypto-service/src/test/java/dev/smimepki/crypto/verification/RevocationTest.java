package dev.smimepki.crypto.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestCa;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.crypto.Messages;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.crypto.verification.CaEndpoints.Ocsp;

/**
 * Revocation and caIssuers against a CA's endpoints on a real HTTP port: OCSP answers built and signed as a CA's
 * responder does, a signed CRL, the CA certificate for caIssuers; every way an answer can be untrustworthy ends in
 * {@code unknown} with the reason, never in {@code good}.
 */
class RevocationTest {
    /** Nothing listens on port 1: connection refused at once. */
    private static final String DOWN = "http://127.0.0.1:1/down";
    private static final TestPki PKI = TestPki.shared();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The time format of openssl's index.txt (UTCTime). */
    private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @TempDir
    static Path dir;
    private static CaEndpoints ca;
    private static SmimeVerifier verifier;
    private static Path content;

    @BeforeAll
    static void setUp() throws Exception {
        TestCa issuing = PKI.issuingCa();
        ca = new CaEndpoints(issuing, KeyPairs.generate(KeyAlgorithm.RSA_2048),
                responder(issuing, true), responder(issuing, false));
        RemoteFetch fetch = new RemoteFetch(Duration.ofSeconds(2), Duration.ofSeconds(5));
        verifier = new SmimeVerifier(() -> List.of(PKI.root().certificate()), () -> false,
                new IssuerCertificates(fetch, 16, Duration.ofHours(1), Clock.systemUTC()),
                new RevocationChecker(fetch, new RevocationChecker.Settings(true, 100, Duration.ofMinutes(5),
                        Duration.ofHours(1), Duration.ofSeconds(30), 1024 * 1024), Clock.systemUTC()));
        content = Files.writeString(dir.resolve("content.txt"),
                "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe Q4 figures.\r\n");
    }

    @AfterAll
    static void tearDown() {
        ca.close();
    }

    @Test
    void goodViaOcspAndTheSecondVerificationIsAnsweredFromTheCache() {
        Signer signer = signer(ca.url(CaEndpoints.OCSP), ca.url(CaEndpoints.CRL), null);
        int ocspBefore = ca.requests(CaEndpoints.OCSP);
        int crlBefore = ca.requests(CaEndpoints.CRL);

        VerificationReport report = verify(signer, true);
        assertTrue(report.valid(), report.problems().toString());
        assertEquals("good", report.revocation());
        assertTrue(report.revocationDetail().startsWith("good according to the OCSP responder "
                + ca.url(CaEndpoints.OCSP)), report.revocationDetail());
        assertEquals(ocspBefore + 1, ca.requests(CaEndpoints.OCSP), "one OCSP request");
        assertEquals(crlBefore, ca.requests(CaEndpoints.CRL), "no CRL needed when OCSP answers");

        VerificationReport again = verify(signer, true);
        assertEquals("good", again.revocation());
        assertEquals(report.revocationDetail(), again.revocationDetail());
        assertEquals(ocspBefore + 1, ca.requests(CaEndpoints.OCSP), "the second verification made no HTTP call");
    }

    @Test
    void revokedViaOcspMakesTheSignatureInvalidWithReasonAndTime() {
        Signer signer = signer(ca.url(CaEndpoints.OCSP), ca.url(CaEndpoints.CRL), null);
        ca.answer(signer.certificate().serial(), Ocsp.REVOKED);

        VerificationReport report = verify(signer, true);
        assertFalse(report.valid());
        assertTrue(report.signatureValid(), "the signature itself is intact");
        assertTrue(report.chainTrusted());
        assertEquals("revoked", report.revocation());
        assertEquals(List.of("the signer's certificate was revoked on " + ca.revokedAt() + " (reason keyCompromise)"),
                report.problems());
        assertEquals("revoked on " + ca.revokedAt() + ", reason keyCompromise, according to the OCSP responder "
                + ca.url(CaEndpoints.OCSP), report.revocationDetail());
    }

    @Test
    void ocspDownMeansTheCrlDecides() {
        Signer good = signer(DOWN, ca.url(CaEndpoints.CRL), null);
        int crlBefore = ca.requests(CaEndpoints.CRL);
        VerificationReport report = verify(good, true);
        assertTrue(report.valid(), report.problems().toString());
        assertEquals("good", report.revocation());
        assertTrue(report.revocationDetail().startsWith("not on the CRL at " + ca.url(CaEndpoints.CRL)),
                report.revocationDetail());
        assertTrue(report.revocationDetail().contains("OCSP: " + DOWN + " cannot be reached"),
                report.revocationDetail());
        assertEquals(crlBefore + 1, ca.requests(CaEndpoints.CRL));

        Signer revoked = signer(DOWN, ca.url(CaEndpoints.CRL), null);
        Instant at = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        ca.revokeOnCrl(revoked.certificate().serial(), at);
        VerificationReport onCrl = verify(revoked, true);
        assertFalse(onCrl.valid());
        assertEquals("revoked", onCrl.revocation());
        assertEquals(List.of("the signer's certificate was revoked on " + at + " (reason cessationOfOperation)"),
                onCrl.problems());

        Signer httpError = signer(ca.url(CaEndpoints.OCSP), ca.url(CaEndpoints.CRL), null);
        ca.answer(httpError.certificate().serial(), Ocsp.HTTP_ERROR);
        VerificationReport afterError = verify(httpError, true);
        assertEquals("good", afterError.revocation());
        assertTrue(afterError.revocationDetail().contains(ca.url(CaEndpoints.OCSP) + " answered HTTP 503"),
                afterError.revocationDetail());
    }

    @Test
    void bothDownIsUnknownWithTheReasonsAndDoesNotInvalidate() {
        VerificationReport report = verify(signer(DOWN, DOWN + "/crl", null), true);
        assertTrue(report.valid(), "unknown is not a failed check: " + report.problems());
        assertEquals("unknown", report.revocation());
        assertTrue(report.revocationDetail().startsWith("no usable revocation answer: OCSP: " + DOWN
                + " cannot be reached"), report.revocationDetail());
        assertTrue(report.revocationDetail().contains("; CRL: " + DOWN + "/crl cannot be reached"),
                report.revocationDetail());
    }

    @Test
    void ocspAnswerSignedByAnotherKeyIsNotTrusted() {
        assertUnknown(Ocsp.WRONG_KEY, "is not signed by the certificate's issuer nor by a responder the issuer "
                + "authorised, so it is not trusted");
    }

    @Test
    void ocspAnswerSignedByADelegateWithoutOcspSigningIsNotTrusted() {
        assertUnknown(Ocsp.DELEGATED_WITHOUT_EKU, "is not signed by the certificate's issuer nor by a responder");
    }

    @Test
    void staleOcspAnswerIsNotUsed() {
        assertUnknown(Ocsp.STALE, "is stale (next update was due ");
    }

    @Test
    void ocspAnswerWithAnotherNonceIsNotUsed() {
        assertUnknown(Ocsp.OTHER_NONCE, "carries another request's nonce (a replayed answer)");
    }

    @Test
    void delegatedResponderAuthorisedByTheCaIsTrusted() {
        Signer signer = signer(ca.url(CaEndpoints.OCSP), null, null);
        ca.answer(signer.certificate().serial(), Ocsp.DELEGATED);
        VerificationReport report = verify(signer, true);
        assertEquals("good", report.revocation(), report.revocationDetail());
    }

    @Test
    void opensslOcspResponderIsUnderstood() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        Signer good = signer(url, null, null);
        Signer revoked = signer(url, null, null);
        Instant revokedAt = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        Path index = Files.writeString(dir.resolve("index.txt"), indexLine('V', good, null)
                + indexLine('R', revoked, OPENSSL_TIME.format(revokedAt) + ",keyCompromise"));
        TestPki.PemFiles caFiles = PKI.writeTo(dir.resolve("ca"));
        Path log = dir.resolve("ocsp.log");
        Process responder = new ProcessBuilder("openssl", "ocsp", "-index", index.toString(), "-port",
                String.valueOf(port), "-CA", caFiles.issuingCa().toString(), "-rsigner",
                caFiles.issuingCa().toString(), "-rkey", caFiles.issuingCaKey().toString(), "-nmin", "10",
                "-nrequest", "2").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitListening(log);
            VerificationReport goodReport = verify(good, true);
            assertEquals("good", goodReport.revocation(), goodReport.revocationDetail());
            assertTrue(goodReport.revocationDetail().startsWith("good according to the OCSP responder " + url));

            VerificationReport revokedReport = verify(revoked, true);
            assertEquals("revoked", revokedReport.revocation(), revokedReport.revocationDetail());
            assertEquals(List.of("the signer's certificate was revoked on " + revokedAt + " (reason keyCompromise)"),
                    revokedReport.problems());
        } finally {
            responder.destroy();
            responder.waitFor();
        }
    }

    @Test
    void onlyHttpUrlsAreFollowed() {
        int before = ca.requests(CaEndpoints.OCSP) + ca.requests(CaEndpoints.CRL);
        VerificationReport report = verify(signer("file:///etc/passwd", "ldap://127.0.0.1/cn=crl", null), true);
        assertEquals("unknown", report.revocation());
        assertEquals("the certificate names no OCSP responder and no CRL distribution point (http), so its "
                + "revocation status cannot be checked", report.revocationDetail());
        assertEquals(before, ca.requests(CaEndpoints.OCSP) + ca.requests(CaEndpoints.CRL));
    }

    @Test
    void missingIntermediateIsFetchedFromCaIssuers() {
        Signer der = signer(ca.url(CaEndpoints.OCSP), null, ca.url(CaEndpoints.CA_DER));
        int before = ca.requests(CaEndpoints.CA_DER);
        VerificationReport report = verify(der, false);
        assertTrue(report.chainTrusted(), report.problems().toString());
        assertTrue(report.valid(), report.problems().toString());
        assertEquals("good", report.revocation(), "the fetched issuer also answers for revocation");
        assertEquals(before + 1, ca.requests(CaEndpoints.CA_DER));
        verify(signer(ca.url(CaEndpoints.OCSP), null, ca.url(CaEndpoints.CA_DER)), false);
        assertEquals(before + 1, ca.requests(CaEndpoints.CA_DER), "the CA certificate came from the cache");

        VerificationReport pkcs7 = verify(signer(null, null, ca.url(CaEndpoints.CA_P7C)), false);
        assertTrue(pkcs7.chainTrusted(), pkcs7.problems().toString());

        VerificationReport unreachable = verify(signer(null, null, DOWN), false);
        assertFalse(unreachable.chainTrusted());
        assertEquals("unknown", unreachable.revocation());
        assertEquals(1, unreachable.problems().size(), unreachable.problems().toString());
        assertTrue(unreachable.problems().get(0).startsWith("no valid certificate chain leads from the signer"));
        assertTrue(unreachable.problems().get(0).contains("(missing intermediates could not be fetched: caIssuers: "
                + DOWN + " cannot be reached"), unreachable.problems().get(0));
    }

    @Test
    void switchedOffMeansUnknownWithoutAnyRequest() {
        RemoteFetch fetch = new RemoteFetch(Duration.ofSeconds(2), Duration.ofSeconds(5));
        SmimeVerifier offline = new SmimeVerifier(() -> List.of(PKI.root().certificate()), () -> false,
                IssuerCertificates.none(), new RevocationChecker(fetch, new RevocationChecker.Settings(false, 100,
                        Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(30), 1024), Clock.systemUTC()));
        int before = ca.requests(CaEndpoints.OCSP);
        VerificationReport report = verify(offline, signer(ca.url(CaEndpoints.OCSP), null, null), true);
        assertTrue(report.valid(), report.problems().toString());
        assertEquals("unknown", report.revocation());
        assertEquals("revocation is not checked: pki.crypto.revocation.enabled is false", report.revocationDetail());
        assertEquals(before, ca.requests(CaEndpoints.OCSP));
    }

    private static String indexLine(char state, Signer signer, String revocation) {
        String serial = signer.certificate().serial().toString(16).toUpperCase(Locale.ROOT);
        return state + "\t" + OPENSSL_TIME.format(signer.certificate().notAfter()) + "\t"
                + (revocation == null ? "" : revocation) + "\t" + (serial.length() % 2 == 0 ? serial : "0" + serial)
                + "\tunknown\t/CN=" + signer.email() + "\n";
    }

    /** Waits for openssl's "waiting for OCSP client connections" (a probe connection would block its one thread). */
    private static void awaitListening(Path log) throws InterruptedException, IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (Files.exists(log) && Files.readString(log).contains("waiting for OCSP client connections")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("openssl ocsp does not start: " + Files.readString(log));
    }

    private static void assertUnknown(Ocsp answer, String reason) {
        Signer signer = signer(ca.url(CaEndpoints.OCSP), null, null);
        ca.answer(signer.certificate().serial(), answer);
        VerificationReport report = verify(signer, true);
        assertEquals("unknown", report.revocation(), answer + ": " + report.revocationDetail());
        assertTrue(report.revocationDetail().contains(reason), answer + ": " + report.revocationDetail());
        assertTrue(report.valid(), answer + ": " + report.problems());
    }

    private static VerificationReport verify(Signer signer, boolean withIntermediate) {
        return verify(verifier, signer, withIntermediate);
    }

    private static VerificationReport verify(SmimeVerifier verifier, Signer signer, boolean withIntermediate) {
        try {
            Path out = Files.createTempFile(dir, "signed", ".eml");
            List<String> args = new ArrayList<>(List.of("cms", "-sign", "-in", content.toString(), "-signer",
                    signer.certificateFile().toString(), "-inkey", signer.keyFile().toString(), "-from",
                    signer.email(), "-to", "bob@example.org", "-subject", "figures", "-out", out.toString()));
            if (withIntermediate) {
                args.addAll(List.of("-certfile", signer.chainFile().toString()));
            }
            OpenSsl.run(args.toArray(String[]::new));
            try (SpooledMessage message = Messages.spool(out)) {
                return verifier.verify(message).report();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An S/MIME certificate from the test issuing CA with these URLs (null: extension left out), on disk. */
    private static Signer signer(String ocsp, String crl, String caIssuers) {
        try {
            TestCa issuing = PKI.issuingCa();
            KeyPair keys = KeyPairs.generate(KeyAlgorithm.EC_P256);
            String email = "signer" + new BigInteger(32, RANDOM) + "@example.com";
            JcaX509v3CertificateBuilder builder = builder(issuing, new X500Name("CN=" + email), keys);
            builder.addExtension(Extension.keyUsage, true,
                    KeyUsage.toExtension(EnumSet.of(KeyUsage.DIGITAL_SIGNATURE)));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
            List<AccessDescription> access = new ArrayList<>();
            if (ocsp != null) {
                access.add(new AccessDescription(AccessDescription.id_ad_ocsp, uri(ocsp)));
            }
            if (caIssuers != null) {
                access.add(new AccessDescription(AccessDescription.id_ad_caIssuers, uri(caIssuers)));
            }
            if (!access.isEmpty()) {
                builder.addExtension(Extension.authorityInfoAccess, false,
                        new AuthorityInformationAccess(access.toArray(AccessDescription[]::new)));
            }
            if (crl != null) {
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[]{
                        new DistributionPoint(new DistributionPointName(new GeneralNames(uri(crl))), null, null)}));
            }
            Certificate certificate = sign(builder, issuing);
            String name = email.substring(0, email.indexOf('@'));
            return new Signer(email, certificate,
                    Files.writeString(dir.resolve(name + ".pem"), certificate.pem()),
                    Files.writeString(dir.resolve(name + ".key.pem"),
                            Pem.encode(PemType.PRIVATE_KEY, keys.getPrivate().getEncoded())),
                    Files.writeString(dir.resolve(name + ".chain.pem"), PKI.chain().pem()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A delegated OCSP responder certificate issued by the CA, with or without id-kp-OCSPSigning. */
    private static CaEndpoints.Responder responder(TestCa issuing, boolean ocspSigning) throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.EC_P256);
        JcaX509v3CertificateBuilder builder = builder(issuing, new X500Name("CN=Test OCSP responder"), keys);
        builder.addExtension(Extension.keyUsage, true, KeyUsage.toExtension(EnumSet.of(KeyUsage.DIGITAL_SIGNATURE)));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ocspSigning
                ? KeyPurposeId.id_kp_OCSPSigning
                : KeyPurposeId.id_kp_emailProtection));
        return new CaEndpoints.Responder(sign(builder, issuing), keys);
    }

    private static JcaX509v3CertificateBuilder builder(TestCa issuing, X500Name subject, KeyPair keys)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(issuing.certificate().x509().getSubjectX500Principal().getEncoded()),
                new BigInteger(80, RANDOM).setBit(79), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                utils.createAuthorityKeyIdentifier(issuing.certificate().x509()));
        return builder;
    }

    private static Certificate sign(JcaX509v3CertificateBuilder builder, TestCa issuing) throws Exception {
        return Certificate.of(builder.build(new JcaContentSignerBuilder(
                KeyAlgorithm.of(issuing.certificate().publicKey()).signatureAlgorithm())
                .setProvider(BouncyCastle.provider()).build(issuing.privateKey())).getEncoded());
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    private record Signer(String email, Certificate certificate, Path certificateFile, Path keyFile,
            Path chainFile) {
    }
}
