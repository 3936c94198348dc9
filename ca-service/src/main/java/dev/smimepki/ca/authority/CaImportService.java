package dev.smimepki.ca.authority;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import dev.smimepki.ca.CaConfig;
import dev.smimepki.ca.audit.CaAction;
import dev.smimepki.ca.crl.CrlPublisher;
import dev.smimepki.ca.serial.SerialNumbers;
import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * Brings an existing CA in from PKCS#12: checks that it is a CA this service can run, places it in the hierarchy,
 * seals its key like a generated one and publishes its first CRL, all in one transaction; a refusal writes nothing.
 */
@ApplicationScoped
public class CaImportService {
    private static final Logger LOG = Logger.getLogger(CaImportService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CHALLENGE_BYTES = 32;
    private static final String FIELD = "pkcs12";

    private final CertificateAuthorityRepository repository;
    private final CertificateAuthorities authorities;
    private final CaKeyEncryption keyEncryption;
    private final SerialNumbers serialNumbers;
    private final CrlPublisher crlPublisher;
    private final AuditLog audit;
    private final int maxPkcs12Bytes;

    CaImportService(CertificateAuthorityRepository repository, CertificateAuthorities authorities,
            CaKeyEncryption keyEncryption, SerialNumbers serialNumbers, CrlPublisher crlPublisher, AuditLog audit,
            CaConfig config) {
        this.repository = repository;
        this.authorities = authorities;
        this.keyEncryption = keyEncryption;
        this.serialNumbers = serialNumbers;
        this.crlPublisher = crlPublisher;
        this.audit = audit;
        this.maxPkcs12Bytes = config.caImport().maxPkcs12Bytes();
    }

    /** Where an imported CA sits: its chain up to the root, and how it is linked there. */
    private record Placement(CertificateChain chain, UUID issuerCaId, List<Certificate> externalChain) {
    }

    /**
     * Imports the CA in the uploaded PKCS#12 file.
     *
     * @param pkcs12 the uploaded file
     * @param password its password (may be empty)
     * @param name a label; the certificate's common name when absent
     * @param actor who asked, for the audit log
     */
    @Transactional
    public CaView importCa(Path pkcs12, String password, String name, String actor) {
        char[] secret = password.toCharArray();
        Pkcs12CaBundle bundle;
        try {
            bundle = Pkcs12CaBundle.read(read(pkcs12), secret);
        } finally {
            Arrays.fill(secret, '\0');
        }
        Certificate certificate = bundle.certificate();
        // RSA < 2048, exponent other than 65537, curves other than P-256/P-384: a PolicyViolation, 422.
        KeyAlgorithm keyAlgorithm = KeyAlgorithm.of(certificate.publicKey());
        requireMatchingKey(keyAlgorithm, bundle.privateKey(), certificate);
        requireCaCertificate(certificate);
        requireValidNow(certificate);
        if (repository.find("fingerprintSha256", certificate.fingerprintSha256()).firstResultOptional()
                .isPresent()) {
            throw exists(certificate, null);
        }
        Placement placement = place(bundle);

        UUID id = UUID.randomUUID();
        String label = name == null || name.isBlank() ? defaultName(certificate) : name.strip();
        CertificateAuthority ca = CertificateAuthority.of(id, label, certificate, keyAlgorithm, placement.issuerCaId(),
                keyEncryption.seal(id, bundle.privateKey().getEncoded()));
        ca.imported = true;
        ca.externalChainPem = placement.externalChain().isEmpty()
                ? null
                : new CertificateChain(placement.externalChain()).pem();
        if (placement.externalChain().isEmpty()) {
            // Self-signed, or issued by a CA of this service: the certificate's serial lies in a serial space this
            // service issues in from now on, so reserve it (V3 migration). An external issuer's serials are not ours.
            serialNumbers.reserve(certificate.serial());
        }
        try {
            repository.persistAndFlush(ca);
        } catch (PersistenceException e) {
            // Another replica imported the same certificate since the check above (fingerprint_sha256 is unique).
            if (e instanceof ConstraintViolationException || e.getCause() instanceof ConstraintViolationException) {
                throw exists(certificate, e);
            }
            throw e;
        }

        crlPublisher.publish(new CaSigner(id, placement.chain(), keyAlgorithm, bundle.privateKey(),
                CertificationPaths.mayCertifyCas(placement.chain())));
        audit.append(actor, CaAction.CA_IMPORTED, id.toString(), "fingerprintSha256="
                + certificate.fingerprintSha256());
        LOG.debugf("CA %s imported: %s", id, certificate.subject());
        return CertificateAuthorityService.view(ca);
    }

    private byte[] read(Path upload) {
        try {
            long size = Files.size(upload);
            if (size > maxPkcs12Bytes) {
                throw new ProblemException(ProblemException.Kind.TOO_LARGE, "pkcs12-too-large",
                        "the PKCS#12 file has " + size + " bytes; at most " + maxPkcs12Bytes + " are accepted");
            }
            if (size == 0) {
                throw new ProblemException(ProblemException.Kind.MALFORMED, "pkcs12-malformed",
                        "the PKCS#12 file is empty");
            }
            return Files.readAllBytes(upload);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded PKCS#12 file", e);
        }
    }

    /** Proves the key is the certificate's: a signature by the key verifies under the certificate's public key. */
    private static void requireMatchingKey(KeyAlgorithm keyAlgorithm, PrivateKey privateKey,
            Certificate certificate) {
        byte[] challenge = new byte[CHALLENGE_BYTES];
        RANDOM.nextBytes(challenge);
        boolean matches;
        try {
            ContentSigner signer = CaSigner.contentSigner(keyAlgorithm, privateKey);
            try (OutputStream out = signer.getOutputStream()) {
                out.write(challenge);
            }
            byte[] signature = signer.getSignature();
            ContentVerifierProvider verifiers = new JcaContentVerifierProviderBuilder()
                    .setProvider(BouncyCastle.provider()).build(certificate.publicKey());
            ContentVerifier verifier = verifiers.get(signer.getAlgorithmIdentifier());
            try (OutputStream out = verifier.getOutputStream()) {
                out.write(challenge);
            }
            matches = verifier.verify(signature);
        } catch (IOException | OperatorCreationException | RuntimeException e) {
            // e.g. an EC key beside an RSA certificate: the signer cannot even be built
            matches = false;
        }
        if (!matches) {
            throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "key-certificate-mismatch",
                    "the private key in the PKCS#12 file does not belong to its certificate");
        }
    }

    /** RFC 5280 sections 4.2.1.2, 4.2.1.3, 4.2.1.9; S/MIME BR 7.1.2.2 for the extended key usage. */
    private static void requireCaCertificate(Certificate certificate) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (!certificate.isCa()) {
            violations.add(new Problem.Violation(FIELD, "basicConstraints.cA",
                    "the certificate is not a CA certificate: basicConstraints cA is false or missing"));
        }
        if (!certificate.keyUsages().contains(KeyUsage.KEY_CERT_SIGN)) {
            violations.add(new Problem.Violation(FIELD, "keyUsage.keyCertSign",
                    "the key usage does not include keyCertSign, so the key may not sign certificates"));
        }
        if (certificate.subjectKeyIdentifier().isEmpty()) {
            violations.add(new Problem.Violation(FIELD, "subjectKeyIdentifier.present",
                    "a CA certificate needs a subject key identifier; issued certificates and CRLs name it"));
        }
        if (!certificate.extendedKeyUsages().isEmpty() && !certificate.hasEmailProtectionEku()) {
            violations.add(new Problem.Violation(FIELD, "extendedKeyUsage.emailProtection",
                    "the extended key usage restricts the CA to purposes other than e-mail protection"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "not-a-ca-certificate",
                    "the certificate in the PKCS#12 file cannot act as an S/MIME CA", violations, null);
        }
    }

    private static void requireValidNow(Certificate certificate) {
        Instant now = Instant.now();
        if (now.isAfter(certificate.notAfter())) {
            throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "ca-expired",
                    "the CA certificate expired at " + certificate.notAfter());
        }
        if (now.isBefore(certificate.notBefore())) {
            throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "ca-not-yet-valid",
                    "the CA certificate is valid only from " + certificate.notBefore());
        }
    }

    /**
     * A self-signed certificate is a root. Otherwise its issuer is a CA of this service when one verifiably signed
     * it, or else the certificates above it in the file, each checked to have signed the one below, up to a root.
     */
    private Placement place(Pkcs12CaBundle bundle) {
        Certificate certificate = bundle.certificate();
        if (CertificationPaths.selfSigned(certificate)) {
            return new Placement(CertificateChain.of(certificate), null, List.of());
        }
        Optional<CaSigner> localIssuer = repository.listByCreation().stream()
                .filter(ca -> CertificationPaths.issued(Certificate.of(ca.certificateDer), certificate))
                .findFirst()
                .map(ca -> authorities.signer(ca.id));
        Placement placement;
        if (localIssuer.isPresent()) {
            List<Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(localIssuer.get().chain().certificates());
            placement = new Placement(new CertificateChain(chain), localIssuer.get().caId(), List.of());
        } else {
            List<Certificate> above = requireVerifiedChain(certificate, bundle.above());
            List<Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(above);
            placement = new Placement(new CertificateChain(chain), null, above);
        }
        if (CertificationPaths.pathLengthRoom(placement.chain().certificates()) < 0) {
            throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "issuer-cannot-certify-cas",
                    "a CA above this one has a pathLenConstraint that allows no CA at this depth",
                    List.of(new Problem.Violation(FIELD, "issuer.pathLenConstraint",
                            "the path length constraints of the chain do not allow this CA")),
                    null);
        }
        return placement;
    }

    private static List<Certificate> requireVerifiedChain(Certificate certificate, List<Certificate> above) {
        if (above.isEmpty()) {
            throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "issuer-unknown",
                    "the CA is not self-signed, no CA of this service issued it and the PKCS#12 file holds no"
                            + " certificates above it; import its issuer first or export it with its chain"
                            + " (openssl pkcs12 -export -certfile chain.pem)");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        Instant now = Instant.now();
        Certificate below = certificate;
        for (Certificate issuer : above) {
            String who = issuer.subject();
            if (!CertificationPaths.issued(issuer, below)) {
                violations.add(new Problem.Violation(FIELD, "chain.signature",
                        who + " did not sign " + below.subject()));
            }
            if (!issuer.isCa() || !issuer.keyUsages().contains(KeyUsage.KEY_CERT_SIGN)) {
                violations.add(new Problem.Violation(FIELD, "chain.ca", who + " is not a CA with keyCertSign"));
            }
            if (!issuer.isValidAt(now)) {
                violations.add(new Problem.Violation(FIELD, "chain.validity", who + " is not valid now"));
            }
            below = issuer;
        }
        if (!CertificationPaths.selfSigned(below)) {
            violations.add(new Problem.Violation(FIELD, "chain.root",
                    "the chain ends at " + below.subject() + ", which is not a self-signed root"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "pkcs12-chain-invalid",
                    "the certificates above the CA in the PKCS#12 file do not form a valid chain to a root",
                    violations, null);
        }
        return above;
    }

    private static ProblemException exists(Certificate certificate, Throwable cause) {
        return new ProblemException(ProblemException.Kind.CONFLICT, "ca-exists",
                "a CA with certificate fingerprint " + certificate.fingerprintSha256() + " is already present",
                List.of(), cause);
    }

    private static String defaultName(Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.x509().getSubjectX500Principal().getEncoded());
        RDN[] commonNames = subject.getRDNs(BCStyle.CN);
        return commonNames.length == 0
                ? certificate.subject()
                : IETFUtils.valueToString(commonNames[0].getFirst().getValue());
    }
}
