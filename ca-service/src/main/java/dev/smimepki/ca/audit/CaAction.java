package dev.smimepki.ca.audit;

import dev.smimepki.runtime.audit.AuditAction;

/** What ca-service writes to the audit log; the target is a certificate serial or a CA id. */
public enum CaAction implements AuditAction {
    CERTIFICATE_ISSUED,
    CERTIFICATE_REVOKED,
    CA_CREATED,
    CA_IMPORTED
}
