package dev.smimepki.ca.issuance;

import java.io.IOException;
import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.smimepki.ca.CaConfig;
import dev.smimepki.ca.audit.CaAction;
import dev.smimepki.ca.authority.CaSigner;
import dev.smimepki.ca.authority.CertificateAuthorities;
import dev.smimepki.ca.authority.PublicUrls;
import dev.smimepki.ca.keystore.ServerKeyGeneration;
import dev.smimepki.ca.keystore.ServerKeyGeneration.HeldKey;
import dev.smimepki.ca.profile.CertificateLint;
import dev.smimepki.ca.profile.CertificateUsage;
import dev.smimepki.ca.profile.SmimeProfile;
import dev.smimepki.ca.serial.SerialNumbers;
import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.limits.RateLimiter;
import dev.smimepki.runtime.outbox.Outbox;
import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * Issues S/MIME subscriber certificates: the request and the profile decide every field, the CSR only supplies the
 * key, the lint checks the result before the CA signs, and the certificate row, its event and the audit entry are
 * written in one transaction.
 */
@ApplicationScoped
public class IssuanceService {
    private static final Logger LOG = Logger.getLogger(IssuanceService.class);
    /** Tolerates relying parties whose clocks run a little behind. */
    private static final long BACKDATE_MINUTES = 5;
    private static final int MAX_PAGE_SIZE = 100;
    /** Shaped like the serials of {@link SerialNumbers}, for the lint before key generation; never signed. */
    private static final BigInteger PLACEHOLDER_SERIAL = BigInteger.ONE.shiftLeft(127);
    private static final Map<KeyAlgorithm, PublicKey> PLACEHOLDER_KEYS = new ConcurrentHashMap<>();

    /** What the request decides about the certificate: all but the serial and the key. */
    private record Draft(CaSigner ca, List<EmailAddress> mailboxes, SmimeProfile profile, CertificateUsage usage,
            String commonName, Instant notBefore, Instant notAfter) {
    }

    private final CertificateAuthorities authorities;
    private final SerialNumbers serialNumbers;
    private final PublicUrls urls;
    private final IssuedCertificateRepository repository;
    private final Outbox outbox;
    private final AuditLog audit;
    private final ServerKeyGeneration keyGeneration;
    private final Caller caller;
    private final int defaultValidityDays;
    private final RateLimiter rateLimiter;

    IssuanceService(CertificateAuthorities authorities, SerialNumbers serialNumbers, PublicUrls urls,
            IssuedCertificateRepository repository, Outbox outbox, AuditLog audit, ServerKeyGeneration keyGeneration,
            Caller caller, CaConfig config, RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
        this.keyGeneration = keyGeneration;
        this.caller = caller;
        this.authorities = authorities;
        this.serialNumbers = serialNumbers;
        this.urls = urls;
        this.repository = repository;
        this.outbox = outbox;
        this.audit = audit;
        this.defaultValidityDays = config.issuance().defaultValidityDays();
    }

    /**
     * Everything that needs no key is checked first (the lint included, on a stand-in key of the requested type), so
     * that a refused request never has keystore-service generate a key. The certificate row, its event and the audit
     * entry are written in one transaction of their own; keystore-service is asked for a key before it, and a key it
     * generated is discarded again when that transaction did not commit.
     */
    public CertificateView issue(IssueCertificateRequest request, String actor) {
        Draft draft = draft(request);
        if (request.csr() != null && !request.csr().isBlank()) {
            SubscriberPublicKey csrKey = SubscriberPublicKey.fromCsr(request.csr());
            return QuarkusTransaction.requiringNew().call(() -> record(draft, csrKey, null, actor));
        }
        KeyAlgorithm algorithm = requestedKeyAlgorithm(request.keyAlgorithm());
        refuseUnlessLintPasses(draft, template(draft, PLACEHOLDER_SERIAL,
                new SubscriberPublicKey(placeholderKey(algorithm), algorithm)));
        rateLimiter.acquireForCaller(RateLimiter.KEY_GENERATION);
        HeldKey held = keyGeneration.generate(algorithm, draft.mailboxes());
        SubscriberPublicKey generatedKey = new SubscriberPublicKey(held.publicKey(), held.algorithm());
        AtomicReference<String> recordedSerial = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                CertificateView issued = record(draft, generatedKey, held.keyId(), actor);
                recordedSerial.set(issued.serial());
                return issued;
            });
        } catch (RuntimeException | Error e) {
            discardUnlessIssued(held.keyId(), recordedSerial.get());
            throw e;
        }
    }

    /**
     * A failure inside the transaction rolled it back: nothing was issued, the key goes. A failure after the
     * certificate was recorded came from the commit, whose outcome the certificate row tells; when even that cannot be
     * read the key stays (a pending key an admin may delete beats a certificate whose key is gone).
     */
    private void discardUnlessIssued(String keyId, String recordedSerial) {
        if (recordedSerial != null) {
            boolean committed;
            try {
                committed = QuarkusTransaction.requiringNew()
                        .call(() -> repository.findByIdOptional(recordedSerial).isPresent());
            } catch (RuntimeException e) {
                LOG.warnf(e, "cannot tell whether certificate %s for key %s was committed; the key is kept",
                        recordedSerial, keyId);
                return;
            }
            if (committed) {
                return;
            }
        }
        keyGeneration.discard(keyId);
    }

    /** Mailboxes, ownership, profile, usage, subject and validity: all of the request a key does not change. */
    private Draft draft(IssueCertificateRequest request) {
        List<EmailAddress> mailboxes = mailboxes(request.emails());
        mailboxes.forEach(mailbox -> caller.requireOwnerOf(List.of(mailbox)));
        SmimeProfile profile = SmimeProfile.fromName(request.profile());
        CertificateUsage usage = CertificateUsage.fromName(request.usage());
        String commonName = commonName(request.commonName(), mailboxes.get(0));
        CaSigner ca = authorities.signer(request.caId());
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE_MINUTES, ChronoUnit.MINUTES);
        int validityDays = request.validityDays() == null ? defaultValidityDays : request.validityDays();
        Instant notAfter = notBefore.plus(validityDays, ChronoUnit.DAYS);
        if (notAfter.isAfter(ca.certificate().notAfter())) {
            notAfter = ca.certificate().notAfter();
        }
        return new Draft(ca, mailboxes, profile, usage, commonName, notBefore, notAfter);
    }

    /** Lints, signs and records the certificate with its event and audit entry; in the caller's transaction. */
    private CertificateView record(Draft draft, SubscriberPublicKey subscriberKey, String keyId, String actor) {
        CaSigner ca = draft.ca();
        X509v3CertificateBuilder template = template(draft, serialNumbers.allocate(), subscriberKey);
        refuseUnlessLintPasses(draft, template);
        Certificate certificate = Certificate.of(encoded(template.build(ca.contentSigner())));

        IssuedCertificate row = new IssuedCertificate();
        row.serial = certificate.serialHex();
        row.caId = ca.caId();
        row.fingerprintSha256 = certificate.fingerprintSha256();
        row.subject = certificate.subject();
        row.emails = new ArrayList<>(draft.mailboxes().stream().map(EmailAddress::toString).toList());
        row.profile = draft.profile().wireName();
        row.usage = draft.usage().wireName();
        row.keyAlgorithm = subscriberKey.algorithm().name();
        row.keyId = keyId;
        row.certificateDer = certificate.der();
        row.notBefore = certificate.notBefore();
        row.notAfter = certificate.notAfter();
        row.issuedAt = Instant.now();
        repository.persist(row);

        String chainPem = ca.chain().pem();
        outbox.publish(new CertificateIssued(row.fingerprintSha256, row.serial, row.caId.toString(), row.emails,
                row.notBefore, row.notAfter, keyId, certificate.pem(), chainPem));
        audit.append(actor, CaAction.CERTIFICATE_ISSUED, row.serial,
                "ca=" + row.caId + " profile=" + row.profile + " usage=" + row.usage + " sha256="
                        + row.fingerprintSha256);
        LOG.debugf("issued %s for %s under CA %s", row.serial, row.emails, row.caId);
        return view(row, chainPem);
    }

    private static void refuseUnlessLintPasses(Draft draft, X509v3CertificateBuilder template) {
        X509CertificateHolder candidate = template.build(
                new LintSigner(draft.ca().contentSigner().getAlgorithmIdentifier()));
        List<Problem.Violation> violations = CertificateLint.check(candidate, new CertificateLint.Expectation(
                draft.profile(), draft.usage(), draft.mailboxes(), draft.ca().certificate()));
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "certificate-lint-failed",
                    "the certificate would break " + violations.size() + " S/MIME profile rule(s) and was not issued",
                    violations, null);
        }
    }

    /** A public key of the type asked for, one per type for the life of the process: only ever linted, never signed. */
    private static PublicKey placeholderKey(KeyAlgorithm algorithm) {
        return PLACEHOLDER_KEYS.computeIfAbsent(algorithm, type -> KeyPairs.generate(type).getPublic());
    }

    @Transactional
    public CertificateView find(String serial) {
        IssuedCertificate row = repository.findByIdOptional(normaliseSerial(serial))
                .orElseThrow(() -> notFound(serial));
        caller.requireOwnerOf(row.mailboxes());
        return view(row, authorities.chain(row.caId).pem());
    }

    @Transactional
    public CertificatePage search(String email, String status, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-page",
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        String mailbox = email == null || email.isEmpty() ? null : parseQueryEmail(email);
        if (!caller.isAdmin()) {
            EmailAddress own = caller.mailbox().orElseThrow(() -> new ProblemException(ProblemException.Kind.FORBIDDEN,
                    "not-owner", "the token names no mailbox"));
            if (mailbox != null && !mailbox.equals(own.toString())) {
                throw new ProblemException(ProblemException.Kind.FORBIDDEN, "not-owner",
                        "a user may only search the certificates of their own mailbox");
            }
            mailbox = own.toString();
        }
        var query = repository.search(mailbox, CertificateStatus.fromName(status), Instant.now());
        List<CertificateView> items = query.page(page, size).list().stream()
                .map(row -> view(row, authorities.chain(row.caId).pem()))
                .toList();
        return new CertificatePage(items, page, size, query.count());
    }

    /** RSA 2048 unless asked otherwise: the key every client can use, gpgsm 2.2 and old Outlook included. */
    private static KeyAlgorithm requestedKeyAlgorithm(String name) {
        if (name == null || name.isBlank()) {
            return KeyAlgorithm.RSA_2048;
        }
        try {
            return KeyAlgorithm.fromName(name);
        } catch (PkiFormatException e) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "unknown-key-algorithm", e.getMessage(),
                    List.of(new Problem.Violation("keyAlgorithm", "unknown-key-algorithm", e.getMessage())), e);
        }
    }

    static ProblemException notFound(String serial) {
        return new ProblemException(ProblemException.Kind.NOT_FOUND, "certificate-not-found",
                "no certificate with serial " + serial);
    }

    /** Serials are lower-case hex without leading zeros; accept upper case and leading zeros as OpenSSL prints. */
    public static String normaliseSerial(String serial) {
        try {
            return new BigInteger(serial, 16).toString(16);
        } catch (NumberFormatException e) {
            throw notFound(serial);
        }
    }

    private X509v3CertificateBuilder template(Draft draft, BigInteger serial, SubscriberPublicKey subscriberKey) {
        CaSigner ca = draft.ca();
        List<EmailAddress> mailboxes = draft.mailboxes();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, draft.commonName())
                .addRDN(BCStyle.EmailAddress, mailboxes.get(0).toString())
                .build();
        GeneralNames san = new GeneralNames(mailboxes.stream()
                .map(mailbox -> new GeneralName(GeneralName.rfc822Name, mailbox.toString()))
                .toArray(GeneralName[]::new));
        Set<KeyUsage> keyUsages = draft.profile().keyUsages(subscriberKey.algorithm(), draft.usage());
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(subscriberKey.key().getEncoded());
        try {
            return new X509v3CertificateBuilder(ca.certificateHolder().getSubject(), serial,
                    Date.from(draft.notBefore()), Date.from(draft.notAfter()), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, KeyUsage.toExtension(keyUsages))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                    .addExtension(Extension.subjectAlternativeName, false, san)
                    .addExtension(Extension.certificatePolicies, false,
                            new CertificatePolicies(new PolicyInformation(draft.profile().policy())))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new AuthorityKeyIdentifier(ca.certificate().subjectKeyIdentifier().orElseThrow()))
                    .addExtension(Extension.cRLDistributionPoints, false, urls.crlDistributionPoints(ca.caId()))
                    .addExtension(Extension.authorityInfoAccess, false,
                            urls.authorityInformationAccess(ca.caId(), true));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build a certificate under CA " + ca.caId(), e);
        }
    }

    /** Every mailbox parsed (RFC 8550 normal form), duplicates dropped, order kept; each bad one named. */
    private static List<EmailAddress> mailboxes(List<String> emails) {
        Set<EmailAddress> mailboxes = new LinkedHashSet<>();
        List<Problem.Violation> violations = new ArrayList<>();
        for (int i = 0; i < emails.size(); i++) {
            try {
                mailboxes.add(EmailAddress.parse(emails.get(i).strip()));
            } catch (PkiFormatException e) {
                violations.add(new Problem.Violation("emails[" + i + "]", "email.syntax", e.getMessage()));
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-email",
                    "the request has " + violations.size() + " invalid mailbox(es)", violations, null);
        }
        return List.copyOf(mailboxes);
    }

    private static String commonName(String requested, EmailAddress firstMailbox) {
        String commonName = requested == null || requested.isBlank() ? firstMailbox.toString() : requested.strip();
        if (commonName.length() > IssueCertificateRequest.MAX_COMMON_NAME) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-common-name",
                    "the first mailbox is longer than a CN may be; give a commonName of at most "
                            + IssueCertificateRequest.MAX_COMMON_NAME + " characters",
                    List.of(new Problem.Violation("commonName", "commonName.length", "at most "
                            + IssueCertificateRequest.MAX_COMMON_NAME + " characters")),
                    null);
        }
        return commonName;
    }

    private static String parseQueryEmail(String email) {
        try {
            return EmailAddress.parse(email.strip()).toString();
        } catch (PkiFormatException e) {
            throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-email", e.getMessage(),
                    List.of(new Problem.Violation("email", "email.syntax", e.getMessage())), e);
        }
    }

    private static byte[] encoded(X509CertificateHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an issued certificate", e);
        }
    }

    static CertificateView view(IssuedCertificate row, String chainPem) {
        return new CertificateView(row.serial, row.caId, row.fingerprintSha256, row.subject, List.copyOf(row.emails),
                row.profile, row.usage, row.keyAlgorithm, CertificateStatus.of(row, Instant.now()).wireName(),
                row.notBefore, row.notAfter, row.revokedAt, row.revocationReason,
                Pem.encode(PemType.CERTIFICATE, row.certificateDer), chainPem, row.keyId);
    }
}
