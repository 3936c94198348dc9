package dev.smimepki.runtime.inbox;

import dev.smimepki.runtime.audit.AuditAction;

/** What a consuming service audits about events it could not apply ({@link ParkedEvents}). The target is the ce_id. */
public enum EventAction implements AuditAction {
    EVENT_PARKED,
    PARKED_EVENT_REPLAYED,
    PARKED_EVENT_DISCARDED
}
