package dev.smimepki.keystore.audit;

import dev.smimepki.runtime.audit.AuditAction;

/**
 * What keystore-service writes to the audit log: every generation, import, export, deletion and private-key
 * operation, and the certificates bound to or revoked for a key. The target is the key id.
 */
public enum KeyAction implements AuditAction {
    KEY_GENERATED,
    KEY_IMPORTED,
    KEY_EXPORTED,
    KEY_DELETED,
    DIGEST_SIGNED,
    KEY_DECRYPTED,
    CERTIFICATE_BOUND,
    CERTIFICATE_REVOKED
}
