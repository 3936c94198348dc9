package dev.smimepki.keystore.keys;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.keystore.audit.KeyAction;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Deleting a key is never automatic (superseded and revoked keys still open old mail): only an admin does it, giving
 * a reason, and the audit entry outlives the key. The one exception is a key generated for ca-service that never got
 * a certificate: ca-service discards it when the issuance it was generated for failed.
 */
@ApplicationScoped
public class KeyDeletion {
    private static final Logger LOG = Logger.getLogger(KeyDeletion.class);

    private final KeyVault vault;
    private final AuditLog audit;
    private final Caller caller;

    KeyDeletion(KeyVault vault, AuditLog audit, Caller caller) {
        this.vault = vault;
        this.audit = audit;
        this.caller = caller;
    }

    @Transactional
    public void delete(UUID keyId, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new PkiFormatException("a reason is required to delete a key");
        }
        StoredKey key = vault.require(keyId);
        String detail = "mailboxes " + String.join(", ", key.emails.stream().sorted().toList()) + "; reason: "
                + reason.strip();
        vault.delete(key);
        audit.append(caller.name(), KeyAction.KEY_DELETED, keyId.toString(), detail);
    }

    /**
     * Destroys a generated key that no certificate was ever bound to; nothing to do for an unknown (or already
     * discarded) key. 409 once a certificate is bound, or for an imported key: those only an admin deletes. The key's
     * row is locked first, so a certificate being bound at the same time either lands before (409) or finds no key.
     */
    @Transactional
    public void discardPending(UUID keyId, String actor) {
        Optional<StoredKey> found = vault.findForUpdate(keyId);
        if (found.isEmpty()) {
            LOG.debugf("key %s to discard is not here (discarded already?)", keyId);
            return;
        }
        StoredKey key = found.get();
        if (key.origin != StoredKey.Origin.generated) {
            throw new ProblemException(Kind.CONFLICT, "key-not-pending",
                    "the key was imported, not generated for an issuance; only an admin may delete it");
        }
        if (vault.hasCertificates(keyId)) {
            throw new ProblemException(Kind.CONFLICT, "key-not-pending",
                    "a certificate is bound to the key; only an admin may delete it");
        }
        String detail = "discarded pending key of mailboxes " + String.join(", ", key.emails.stream().sorted()
                .toList()) + "; reason: the certificate it was generated for was not issued";
        vault.delete(key);
        audit.append(actor, KeyAction.KEY_DELETED, keyId.toString(), detail);
    }
}
