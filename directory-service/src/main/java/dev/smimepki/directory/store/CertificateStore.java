package dev.smimepki.directory.store;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.runtime.inbox.MalformedEventException;

/** Keeps the directory's certificates in step with what the CA issued and revoked. */
@ApplicationScoped
public class CertificateStore {
    private static final Logger LOG = Logger.getLogger(CertificateStore.class);

    /** Stores a certificate our CA issued: trusted by construction. Idempotent per fingerprint. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordIssued(CertificateIssued issued, Instant seenAt) {
        Certificate certificate = Certificate.fromPem(issued.certificatePem());
        if (!certificate.fingerprintSha256().equals(issued.fingerprintSha256())) {
            throw new MalformedEventException(null, "issued event fingerprint " + issued.fingerprintSha256()
                    + " does not match its certificate " + certificate.fingerprintSha256());
        }
        DirectoryCertificate known = DirectoryCertificate.findById(certificate.fingerprintSha256());
        DirectoryCertificate stored = known != null ? known : new DirectoryCertificate();
        if (known == null) {
            stored.fingerprintSha256 = certificate.fingerprintSha256();
            stored.firstSeen = seenAt;
        }
        stored.serial = certificate.serialHex();
        stored.issuer = certificate.issuer();
        stored.subject = certificate.subject();
        stored.notBefore = certificate.notBefore();
        stored.notAfter = certificate.notAfter();
        stored.source = DirectoryCertificate.Source.issued;
        stored.trust = DirectoryCertificate.Trust.trusted;
        stored.der = certificate.der();
        stored.chainPem = issued.chainPem() == null ? "" : issued.chainPem();
        stored.lastSeen = seenAt;
        stored.addresses.clear();
        certificate.emails().forEach(email -> stored.addresses.add(EmailAddress.parse(email).toString()));
        PendingRevocation pending = PendingRevocation.findById(stored.fingerprintSha256);
        if (pending != null) {
            stored.revokedAt = pending.revokedAt;
            stored.revocationReason = pending.reason;
            pending.delete();
        }
        stored.persist();
    }

    /** Marks a certificate revoked; a replayed revocation changes nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordRevoked(CertificateRevoked revoked) {
        DirectoryCertificate stored = DirectoryCertificate.findById(revoked.fingerprintSha256());
        if (stored == null) {
            LOG.infof("revocation of unknown certificate %s kept until it arrives", revoked.fingerprintSha256());
            if (PendingRevocation.findById(revoked.fingerprintSha256()) == null) {
                PendingRevocation pending = new PendingRevocation();
                pending.fingerprintSha256 = revoked.fingerprintSha256();
                pending.revokedAt = revoked.revokedAt();
                pending.reason = revoked.reason();
                pending.persist();
            }
            return;
        }
        if (stored.revokedAt == null) {
            stored.revokedAt = revoked.revokedAt();
            stored.revocationReason = revoked.reason();
        }
    }

    /** Every certificate for the mailbox, matched per RFC 8550. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DirectoryCertificate> forAddress(String address) {
        return DirectoryCertificate.list("select c from DirectoryCertificate c join c.addresses a where a = ?1",
                EmailAddress.parse(address).toString());
    }
}
