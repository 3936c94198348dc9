package dev.smimepki.crypto.verification;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import jakarta.mail.internet.ContentType;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.smime.SMIMEAttributes;
import org.bouncycastle.asn1.smime.SMIMECapabilities;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.crypto.keys.DigestAlgorithm;
import dev.smimepki.crypto.mime.Addresses;
import dev.smimepki.crypto.mime.MimeEntity;
import dev.smimepki.crypto.mime.MimeHeaders;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.crypto.verification.VerificationReport.Revocation;
import dev.smimepki.crypto.verification.VerificationReport.SignerView;
import dev.smimepki.events.CertificateHarvested;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Verifies an S/MIME signed message (multipart/signed or opaque signed-data), streaming: the content is digested
 * from disk and never held in memory. Every check is reported separately.
 */
public final class SmimeVerifier {
    static final String FORMAT_DETACHED = "multipart/signed";
    static final String FORMAT_OPAQUE = "signed-data";
    private static final String CHAIN_NOT_TRUSTED = "revocation is not checked: without a trusted chain no issuer "
            + "can vouch for the certificate's status";

    private final Supplier<Collection<Certificate>> trustAnchors;
    private final BooleanSupplier refreshAnchors;
    private final IssuerCertificates issuers;
    private final RevocationChecker revocation;
    private final DigestCalculatorProvider digests;

    /** A verifier that stays offline: no caIssuers fetch, no revocation look-up (reported as unknown). */
    public SmimeVerifier(Supplier<Collection<Certificate>> trustAnchors) {
        this(trustAnchors, () -> false, IssuerCertificates.none(), RevocationChecker.disabled());
    }

    /**
     * @param refreshAnchors asked once when no chain leads to the anchors; true when it found newer anchors (a CA
     *        created a moment ago), which then get a second try
     * @param issuers fetches intermediates the message lacks (AIA caIssuers)
     * @param revocation asks the signer certificate's CA about its status
     */
    SmimeVerifier(Supplier<Collection<Certificate>> trustAnchors, BooleanSupplier refreshAnchors,
            IssuerCertificates issuers, RevocationChecker revocation) {
        this.refreshAnchors = refreshAnchors;
        this.trustAnchors = trustAnchors;
        this.issuers = issuers;
        this.revocation = revocation;
        try {
            // JDK providers for the content digest: SHA-2 with CPU intrinsics streams fastest
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The report and, when the message named its signer's certificate, the harvest event for it. */
    public Verification verify(SpooledMessage message) {
        MimeEntity entity = message.message();
        ContentType type = entity.contentType();
        if (type.match("multipart/signed")) {
            return detached(entity);
        }
        if (type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime")) {
            String smimeType = Optional.ofNullable(type.getParameter("smime-type")).orElse("")
                    .toLowerCase(Locale.ROOT);
            if (smimeType.equals("enveloped-data") || smimeType.equals("authenveloped-data")) {
                return new Verification(VerificationReport.unsigned(
                        "the message is encrypted; decrypt it first, then verify the inner message"), null);
            }
            if (smimeType.equals("compressed-data")) {
                throw compressedData();
            }
            if (smimeType.equals("certs-only")) {
                return new Verification(VerificationReport.unsigned(
                        "the message carries certificates only, no signature"), null);
            }
            return opaque(entity);
        }
        return new Verification(VerificationReport.unsigned("the message is not signed"), null);
    }

    private Verification detached(MimeEntity entity) {
        List<MimeEntity> parts = entity.parts();
        if (parts.size() != 2) {
            throw malformed("a multipart/signed message must have exactly two parts, this one has " + parts.size());
        }
        ContentType signatureType = parts.get(1).contentType();
        if (!signatureType.match("application/pkcs7-signature")
                && !signatureType.match("application/x-pkcs7-signature")) {
            return new Verification(VerificationReport.unsigned(
                    "the signature is of type " + signatureType.getBaseType() + ", not an S/MIME signature"), null);
        }
        try (InputStream content = parts.get(0).raw(); InputStream signature = parts.get(1).decodedBody()) {
            CMSSignedDataParser parser = new CMSSignedDataParser(digests, new CMSTypedStream(content), signature);
            parser.getSignedContent().drain();
            return evaluate(parser, entity.headers(), FORMAT_DETACHED);
        } catch (CMSException | IOException | RuntimeException e) {
            throw malformedCms(e);
        }
    }

    private Verification opaque(MimeEntity entity) {
        if (isCompressedData(entity)) {
            throw compressedData();
        }
        try (InputStream body = entity.decodedBody()) {
            CMSSignedDataParser parser = new CMSSignedDataParser(digests, body);
            CMSTypedStream content = parser.getSignedContent();
            if (content == null) {
                throw malformed("the signed-data carries no content; a detached signature needs multipart/signed");
            }
            content.drain();
            return evaluate(parser, entity.headers(), FORMAT_OPAQUE);
        } catch (CMSException | IOException | RuntimeException e) {
            throw malformedCms(e);
        }
    }

    private Verification evaluate(CMSSignedDataParser parser, MimeHeaders headers, String format)
            throws CMSException {
        Store<X509CertificateHolder> store = parser.getCertificates();
        Collection<SignerInformation> signers = parser.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            return new Verification(new VerificationReport(true, false, null, false, Revocation.UNKNOWN, null, null,
                    List.of("the signature has no signer"), false, format, false, null), null);
        }
        List<String> problems = new ArrayList<>();
        if (signers.size() > 1) {
            problems.add("the message has " + signers.size() + " signers; this report covers the first");
        }
        SignerInformation signer = signers.iterator().next();
        Collection<X509CertificateHolder> matches = store.getMatches(signer.getSID());
        Instant signingTime = signingTime(signer);
        List<String> capabilities = capabilities(signer);
        if (matches.isEmpty()) {
            problems.add("the message does not carry the signer's certificate, so the signature cannot be checked");
            return new Verification(new VerificationReport(true, false, null, false, Revocation.UNKNOWN, null,
                    signingTime, problems, false, format, false, capabilities), null);
        }
        Certificate certificate = certificate(matches.iterator().next());
        List<Certificate> others = new ArrayList<>();
        for (X509CertificateHolder holder : store.getMatches(null)) {
            Certificate other = certificate(holder);
            if (other != null && !other.equals(certificate)) {
                others.add(other);
            }
        }
        if (certificate == null) {
            problems.add("the signer's certificate in the message cannot be parsed");
            return new Verification(new VerificationReport(true, false, null, false, Revocation.UNKNOWN, null,
                    signingTime, problems, false, format, false, capabilities), null);
        }

        boolean signatureValid = checkSignature(signer, certificate, problems);
        DigestAlgorithm digest = DigestAlgorithm.ofOid(new ASN1ObjectIdentifier(signer.getDigestAlgOID()));
        if (digest == null) {
            problems.add("the digest algorithm " + AlgorithmPolicy.algorithmName(signer.getDigestAlgorithmID())
                    + " is not accepted; SHA-256 or stronger is required");
        }
        Instant checkedAt = signingTime != null ? signingTime : Instant.now();
        if (!certificate.isValidAt(checkedAt)) {
            problems.add((signingTime != null
                    ? "the signer's certificate was not valid at signing time "
                    : "the signature has no signing time and the signer's certificate is not valid now ")
                    + "(valid " + certificate.notBefore() + " to " + certificate.notAfter() + ")");
        }
        checkUsage(certificate, problems);
        Collection<Certificate> anchors = trustAnchors.get();
        IssuerCertificates.Fetched fetched = issuers.missing(certificate, others, anchors);
        List<Certificate> intermediates = new ArrayList<>(others);
        intermediates.addAll(fetched.certificates());
        ChainValidator.Result chain = ChainValidator.validate(certificate, intermediates, anchors, checkedAt);
        if (!chain.trusted() && refreshAnchors.getAsBoolean()) {
            anchors = trustAnchors.get();
            chain = ChainValidator.validate(certificate, intermediates, anchors, checkedAt);
        }
        if (!chain.trusted()) {
            problems.add(fetched.failures().isEmpty()
                    ? chain.problem()
                    : chain.problem() + " (missing intermediates could not be fetched: "
                            + String.join("; ", fetched.failures()) + ")");
        }
        RevocationStatus status = chain.trusted()
                ? revocation.check(certificate, chain.issuer())
                : RevocationStatus.unknown(CHAIN_NOT_TRUSTED);
        if (status.isRevoked()) {
            problems.add(status.problem());
        }
        Optional<EmailAddress> from = checkFrom(headers, certificate, problems);

        String email = from.filter(certificate::coversEmail).map(EmailAddress::toString)
                .orElse(certificate.emails().isEmpty() ? null : certificate.emails().get(0));
        VerificationReport report = new VerificationReport(true, problems.isEmpty(),
                new SignerView(email, certificate.fingerprintSha256(), certificate.subject()), chain.trusted(),
                status.state(), status.detail(), signingTime, problems, false, format, signatureValid, capabilities);
        CertificateHarvested harvest = new CertificateHarvested(certificate.fingerprintSha256(),
                certificate.emails(), certificate.pem(), new CertificateChain(intermediates).pem(), Instant.now(),
                signatureValid, capabilities);
        return new Verification(report, harvest);
    }

    private static boolean checkSignature(SignerInformation signer, Certificate certificate, List<String> problems) {
        try {
            // verify against the key, not the certificate: BouncyCastle would otherwise fold the validity check into
            // the signature result, and we report that separately
            boolean valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.provider())
                    .build(certificate.publicKey()));
            if (!valid) {
                problems.add("the signature does not match the signer's key: the signed attributes were altered "
                        + "or another key signed");
            }
            return valid;
        } catch (CMSSignerDigestMismatchException e) {
            problems.add("the content was altered after signing: its digest does not match the signed digest");
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            problems.add("the signature cannot be checked: its algorithm "
                    + signer.getEncryptionAlgOID()
                    + " is unknown or its encoding is broken");
        }
        return false;
    }

    private static void checkUsage(Certificate certificate, List<String> problems) {
        if (certificate.hasKeyUsageExtension() && !certificate.keyUsages().contains(KeyUsage.DIGITAL_SIGNATURE)
                && !certificate.keyUsages().contains(KeyUsage.NON_REPUDIATION)) {
            problems.add("the signer's certificate does not allow signing (keyUsage lacks digitalSignature)");
        }
        if (!certificate.extendedKeyUsages().isEmpty() && !certificate.hasEmailProtectionEku()) {
            problems.add("the signer's certificate is not for e-mail (extKeyUsage lacks emailProtection)");
        }
    }

    private static Optional<EmailAddress> checkFrom(MimeHeaders headers, Certificate certificate,
            List<String> problems) {
        Optional<EmailAddress> from;
        try {
            from = Addresses.from(headers);
        } catch (ProblemException e) {
            problems.add("the From header cannot be parsed, so it cannot be matched to the signer");
            return Optional.empty();
        }
        if (from.isEmpty()) {
            problems.add("the message has no From address to match to the signer");
        } else if (!certificate.coversEmail(from.get())) {
            problems.add("the From address " + from.get() + " is not a mailbox of the signer's certificate "
                    + certificate.emails());
        }
        return from;
    }

    private static Instant signingTime(SignerInformation signer) {
        Attribute attribute = attribute(signer, CMSAttributes.signingTime);
        try {
            return attribute == null
                    ? null
                    : Time.getInstance(attribute.getAttrValues().getObjectAt(0)).getDate().toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<String> capabilities(SignerInformation signer) {
        Attribute attribute = attribute(signer, SMIMEAttributes.smimeCapabilities);
        if (attribute == null) {
            return null;
        }
        try {
            List<String> oids = new ArrayList<>();
            for (Object capability : SMIMECapabilities.getInstance(attribute.getAttrValues().getObjectAt(0))
                    .getCapabilities(null)) {
                oids.add(((SMIMECapability) capability).getCapabilityID().getId());
            }
            return oids;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Attribute attribute(SignerInformation signer, ASN1ObjectIdentifier type) {
        AttributeTable attributes = signer.getSignedAttributes();
        return attributes == null ? null : attributes.get(type);
    }

    private static Certificate certificate(X509CertificateHolder holder) {
        try {
            return Certificate.of(holder.getEncoded());
        } catch (IOException | PkiFormatException e) {
            return null;
        }
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(Kind.MALFORMED, "malformed-smime", detail);
    }

    /** Whether the CMS content type is compressed-data although the smime-type parameter did not say so. */
    private static boolean isCompressedData(MimeEntity entity) {
        try (InputStream body = entity.decodedBody()) {
            return CMSObjectIdentifiers.compressedData.equals(ContentInfos.contentType(body));
        } catch (IOException | RuntimeException e) {
            return false; // the parser below reports what is wrong
        }
    }

    /**
     * CMS compressed-data (RFC 3274) is refused, never inflated: a small message can expand without bound (a
     * decompression bomb), and nothing here needs the content.
     */
    public static ProblemException compressedData() {
        return new ProblemException(Kind.REFUSED_BY_POLICY, "compressed-data-unsupported",
                "the message is CMS compressed-data (smime-type=compressed-data), which this service does not "
                        + "decompress; send it uncompressed");
    }

    private static ProblemException malformedCms(Exception e) {
        if (e instanceof ProblemException problem) {
            return problem;
        }
        return new ProblemException(Kind.MALFORMED, "malformed-cms",
                "the S/MIME signature is not a complete, well-formed CMS SignedData", List.of(), e);
    }

    /**
     * @param report what the verification found
     * @param harvest the signer certificate for the directory, null when the message did not carry it
     */
    public record Verification(VerificationReport report, CertificateHarvested harvest) {
    }
}
