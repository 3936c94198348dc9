package dev.smimepki.keystore.keys;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.keystore.audit.KeyAction;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.auth.Caller;

/**
 * Deleting a key is never automatic (superseded and revoked keys still open old mail): only an admin does it, giving
 * a reason, and the audit entry outlives the key.
 */
@ApplicationScoped
public class KeyDeletion {
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
}
