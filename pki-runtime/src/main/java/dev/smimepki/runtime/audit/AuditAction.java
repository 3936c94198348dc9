package dev.smimepki.runtime.audit;

/** What an audit entry records; each service names its actions in an enum implementing this. */
public interface AuditAction {

    /** The stable code stored in the entry (an enum constant's name). */
    String name();
}
