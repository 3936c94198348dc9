package dev.smimepki.ca.revocation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.smimepki.ca.audit.CaAction;
import dev.smimepki.ca.crl.CrlPublisher;
import dev.smimepki.ca.issuance.CertificateView;
import dev.smimepki.ca.issuance.IssuanceService;
import dev.smimepki.ca.issuance.IssuedCertificate;
import dev.smimepki.ca.issuance.IssuedCertificateRepository;
import dev.smimepki.core.cert.RevocationReason;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.outbox.Outbox;
import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * Revokes a certificate: the row, the {@code CertificateRevoked} event, the audit entry and the re-signed CRL commit
 * together, so the CRL and OCSP reflect the revocation as soon as it is acknowledged.
 */
@ApplicationScoped
public class RevocationService {
    private static final Logger LOG = Logger.getLogger(RevocationService.class);
    /** removeFromCRL only un-holds in delta CRLs (RFC 5280 section 5.3.1); it is not a reason to revoke. */
    private static final List<RevocationReason> ACCEPTED = Arrays.stream(RevocationReason.values())
            .filter(reason -> reason != RevocationReason.REMOVE_FROM_CRL)
            .toList();

    private final IssuedCertificateRepository certificates;
    private final CrlPublisher crlPublisher;
    private final Outbox outbox;
    private final AuditLog audit;
    private final IssuanceService issuance;

    RevocationService(IssuedCertificateRepository certificates, CrlPublisher crlPublisher, Outbox outbox,
            AuditLog audit, IssuanceService issuance, Caller caller) {
        this.caller = caller;
        this.certificates = certificates;
        this.crlPublisher = crlPublisher;
        this.outbox = outbox;
        this.audit = audit;
        this.issuance = issuance;
    }

    private final Caller caller;

    @Transactional
    public CertificateView revoke(String serial, String reasonName, String actor) {
        RevocationReason reason = reason(reasonName);
        IssuedCertificate certificate = certificates.findForUpdate(IssuanceService.normaliseSerial(serial))
                .orElseThrow(() -> new ProblemException(ProblemException.Kind.NOT_FOUND, "certificate-not-found",
                        "no certificate with serial " + serial));
        caller.requireOwnerOf(certificate.mailboxes());
        if (certificate.isRevoked()) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "already-revoked",
                    "certificate " + certificate.serial() + " is already revoked");
        }
        Instant revokedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        certificate.revoke(reason, revokedAt);
        certificates.flush();
        outbox.publish(new CertificateRevoked(certificate.fingerprintSha256(), certificate.serial(),
                certificate.caId().toString(), reason.wireName(), revokedAt));
        audit.append(actor, CaAction.CERTIFICATE_REVOKED, certificate.serial(),
                "ca=" + certificate.caId() + " reason=" + reason.wireName() + " sha256="
                        + certificate.fingerprintSha256());
        crlPublisher.publish(certificate.caId());
        LOG.debugf("revoked %s (%s)", certificate.serial(), reason.wireName());
        return issuance.find(certificate.serial());
    }

    private static RevocationReason reason(String name) {
        String valid = ACCEPTED.stream().map(RevocationReason::wireName).collect(Collectors.joining(", "));
        RevocationReason reason = ACCEPTED.stream().filter(r -> r.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemException.Kind.MALFORMED, "invalid-reason",
                        "unknown revocation reason; valid: " + valid,
                        List.of(new Problem.Violation("reason", "reason.known", "valid: " + valid)), null));
        return reason;
    }
}
