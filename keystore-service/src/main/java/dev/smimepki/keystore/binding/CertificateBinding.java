package dev.smimepki.keystore.binding;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.keystore.audit.KeyAction;
import dev.smimepki.keystore.keys.KeyVault;
import dev.smimepki.keystore.keys.StoredKey;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.inbox.MalformedEventException;

/**
 * Attaches issued certificates to the stored key they certify, matched by public key (the event's keyId is a hint
 * only: the certificate is the proof), and marks revoked ones. Certificates for keys held elsewhere are ignored.
 */
@ApplicationScoped
class CertificateBinding {
    private static final Logger LOG = Logger.getLogger(CertificateBinding.class);

    private final KeyVault vault;
    private final AuditLog audit;

    CertificateBinding(KeyVault vault, AuditLog audit) {
        this.vault = vault;
        this.audit = audit;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void issued(CertificateIssued issued) {
        Certificate certificate = Certificate.fromPem(issued.certificatePem());
        if (!certificate.fingerprintSha256().equals(issued.fingerprintSha256())) {
            throw new MalformedEventException(null, "issued event fingerprint " + issued.fingerprintSha256()
                    + " does not match its certificate " + certificate.fingerprintSha256());
        }
        Optional<StoredKey> key = vault.findByPublicKey(certificate.publicKey());
        if (key.isEmpty()) {
            LOG.debugf("certificate %s is for a key not held here", certificate.fingerprintSha256());
            return; // most certificates (issued from a CSR): the chain is not even parsed
        }
        CertificateChain chain = issued.chainPem() == null || issued.chainPem().isBlank()
                ? CertificateChain.of()
                : CertificateChain.fromPem(issued.chainPem());
        if (vault.bind(key.get(), certificate, chain)) {
            audit.append(AuditLog.EVENT_ACTOR, KeyAction.CERTIFICATE_BOUND, key.get().id.toString(),
                    "certificate " + certificate.fingerprintSha256());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void revoked(CertificateRevoked revoked) {
        vault.revoke(revoked.fingerprintSha256(), revoked.revokedAt(), revoked.reason())
                .ifPresent(keyId -> audit.append(AuditLog.EVENT_ACTOR, KeyAction.CERTIFICATE_REVOKED, keyId.toString(),
                        "certificate " + revoked.fingerprintSha256() + " " + revoked.reason()));
    }
}
