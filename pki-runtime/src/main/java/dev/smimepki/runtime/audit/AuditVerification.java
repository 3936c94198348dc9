package dev.smimepki.runtime.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of walking the audit chain.
 *
 * @param entries how many entries were checked
 * @param valid whether every entry is intact, in order and linked to its predecessor, and the head matches the last
 * @param firstBrokenSequence the sequence of the first entry that is edited, missing or out of place; absent when
 *        valid
 * @param problem what is wrong with that entry; absent when valid
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(long entries, boolean valid, Long firstBrokenSequence, String problem) {

    static AuditVerification intact(long entries) {
        return new AuditVerification(entries, true, null, null);
    }

    static AuditVerification broken(long entries, long sequence, String problem) {
        return new AuditVerification(entries, false, sequence, problem);
    }
}
