package dev.smimepki.ca.authority;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;

import dev.smimepki.ca.audit.CaAction;
import dev.smimepki.ca.crl.CrlPublisher;
import dev.smimepki.ca.serial.SerialNumbers;
import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;

/** Creates root and issuing CAs and shows them; CA private keys are generated here and only ever stored sealed. */
@ApplicationScoped
public class CertificateAuthorityService {
    /** Tolerates clocks of relying parties running a little behind. */
    static final long BACKDATE_MINUTES = 5;

    private final CertificateAuthorityRepository repository;
    private final CertificateAuthorities authorities;
    private final CaKeyEncryption keyEncryption;
    private final SerialNumbers serialNumbers;
    private final PublicUrls urls;
    private final CrlPublisher crlPublisher;
    private final AuditLog audit;

    CertificateAuthorityService(CertificateAuthorityRepository repository, CertificateAuthorities authorities,
            CaKeyEncryption keyEncryption, SerialNumbers serialNumbers, PublicUrls urls, CrlPublisher crlPublisher,
            AuditLog audit) {
        this.repository = repository;
        this.authorities = authorities;
        this.keyEncryption = keyEncryption;
        this.serialNumbers = serialNumbers;
        this.urls = urls;
        this.crlPublisher = crlPublisher;
        this.audit = audit;
    }

    /**
     * Creates a CA with a fresh key and publishes its first (empty) CRL, all in one transaction, audited.
     *
     * @param actor who asked, for the audit log
     */
    @Transactional
    public CaView create(CreateCaRequest request, String actor) {
        KeyAlgorithm keyAlgorithm = keyAlgorithm(request.keyAlgorithm());
        X500Name subject = subject(request.subject());
        CaSigner issuer = request.issuerCaId() == null ? null : issuer(request.issuerCaId());

        UUID id = UUID.randomUUID();
        KeyPair keyPair = KeyPairs.generate(keyAlgorithm);
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE_MINUTES, ChronoUnit.MINUTES);
        Instant notAfter = notBefore.plus(request.validityDays(), ChronoUnit.DAYS);
        if (issuer != null && notAfter.isAfter(issuer.certificate().notAfter())) {
            notAfter = issuer.certificate().notAfter();
        }
        BigInteger serial = serialNumbers.allocate();
        Certificate certificate = Certificate.of(
                build(id, subject, keyPair, serial, notBefore, notAfter, issuer, keyAlgorithm));

        CertificateAuthority ca = CertificateAuthority.of(id, request.name().strip(), certificate, keyAlgorithm,
                issuer == null ? null : issuer.caId(), keyEncryption.seal(id, keyPair.getPrivate().getEncoded()));
        repository.persist(ca);

        List<Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        if (issuer != null) {
            chain.addAll(issuer.chain().certificates());
        }
        CertificateChain certificateChain = new CertificateChain(chain);
        crlPublisher.publish(new CaSigner(id, certificateChain, keyAlgorithm, keyPair.getPrivate(),
                CertificationPaths.mayCertifyCas(certificateChain)));
        audit.append(actor, CaAction.CA_CREATED, id.toString(), "subject=" + ca.subject + " keyAlgorithm="
                + ca.keyAlgorithm + " issuer=" + (ca.issuerCaId == null ? "self" : ca.issuerCaId)
                + " fingerprintSha256=" + ca.fingerprintSha256);
        return view(ca);
    }

    @Transactional
    public List<CaView> list() {
        return repository.listByCreation().stream().map(CertificateAuthorityService::view).toList();
    }

    @Transactional
    public CaView find(UUID id) {
        return view(load(id));
    }

    /** The CA certificate, DER. */
    @Transactional
    public byte[] certificate(UUID id) {
        return load(id).certificateDer.clone();
    }

    /** The CA certificate up to the root as PEM blocks, this CA first (RFC 8555 section 9.1 order). */
    @Transactional
    public String chainPem(UUID id) {
        return authorities.chainOf(load(id)).pem();
    }

    private CertificateAuthority load(UUID id) {
        return repository.findByIdOptional(id).orElseThrow(() -> CertificateAuthorities.notFound(id));
    }

    private CaSigner issuer(UUID issuerCaId) {
        CaSigner issuer = authorities.findSigner(issuerCaId).orElseThrow(() -> new ProblemException(
                ProblemException.Kind.NOT_FOUND, "ca-not-found", "no issuer CA with id " + issuerCaId));
        if (!issuer.mayCertifyCas()) {
            throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "issuer-cannot-certify-cas",
                    "CA " + issuerCaId + " is an issuing CA (its pathLenConstraint allows no CA below it) and cannot"
                            + " certify another CA",
                    List.of(new Problem.Violation("issuerCaId", "issuer.pathLenConstraint",
                            "the issuer must be a CA whose path length allows another CA below it")),
                    null);
        }
        return issuer;
    }

    private byte[] build(UUID id, X500Name subject, KeyPair keyPair, BigInteger serial, Instant notBefore,
            Instant notAfter, CaSigner issuer, KeyAlgorithm keyAlgorithm) {
        try {
            JcaX509ExtensionUtils extensionUtils = new JcaX509ExtensionUtils();
            SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
            SubjectKeyIdentifier ski = extensionUtils.createSubjectKeyIdentifier(publicKey);
            X500Name issuerName = issuer == null ? subject : issuer.certificateHolder().getSubject();
            byte[] authorityKeyId = issuer == null
                    ? ski.getKeyIdentifier()
                    : issuer.certificate().subjectKeyIdentifier().orElseThrow();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, serial,
                    Date.from(notBefore), Date.from(notAfter), subject, publicKey)
                    // Roots have no path length limit; issuing CAs certify subscribers only (pathLen 0).
                    .addExtension(Extension.basicConstraints, true,
                            issuer == null ? new BasicConstraints(true) : new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true,
                            KeyUsage.toExtension(List.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN)))
                    .addExtension(Extension.subjectKeyIdentifier, false, ski)
                    .addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
            if (issuer != null) {
                // S/MIME BR section 7.1.2.2: a subordinate CA for S/MIME names emailProtection and nothing else.
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                        .addExtension(Extension.cRLDistributionPoints, false,
                                urls.crlDistributionPoints(issuer.caId()))
                        .addExtension(Extension.authorityInfoAccess, false,
                                urls.authorityInformationAccess(issuer.caId(), false));
            }
            ContentSigner signer = issuer != null
                    ? issuer.contentSigner()
                    : CaSigner.contentSigner(keyAlgorithm, keyPair.getPrivate());
            return builder.build(signer).getEncoded();
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot build the certificate of CA " + id, e);
        }
    }

    private static KeyAlgorithm keyAlgorithm(String name) {
        try {
            return KeyAlgorithm.fromName(name);
        } catch (PkiFormatException e) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-key-algorithm", e.getMessage(),
                    List.of(new Problem.Violation("keyAlgorithm", "keyAlgorithm.supported", e.getMessage())), null);
        }
    }

    /** Parses an RFC 4514 DN; a CA subject needs a common name (S/MIME BR section 7.1.2.2). */
    private static X500Name subject(String dn) {
        X500Name name;
        try {
            name = new X500Name(BCStyle.INSTANCE, dn.strip());
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-subject",
                    "the subject is not a distinguished name such as CN=Example Root CA,O=Example",
                    List.of(new Problem.Violation("subject", "subject.syntax", "not an RFC 4514 distinguished name")),
                    e);
        }
        RDN[] commonNames = name.getRDNs(BCStyle.CN);
        if (commonNames.length == 0) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-subject",
                    "the subject needs a common name (CN=...)",
                    List.of(new Problem.Violation("subject", "subject.commonName", "no CN attribute")), null);
        }
        return name;
    }

    static CaView view(CertificateAuthority ca) {
        return new CaView(ca.id, ca.name, ca.subject, ca.keyAlgorithm, ca.issuerCaId, ca.serial,
                Pem.encode(PemType.CERTIFICATE, ca.certificateDer), ca.fingerprintSha256, ca.notBefore,
                ca.notAfter);
    }
}
