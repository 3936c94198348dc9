package dev.smimepki.runtime.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of walking the audit chain.
 *
 * @param entries how many entries were checked
 * @param valid whether every entry is intact, in order and linked to its predecessor, the head matches the last, and
 *        the chain holds the witnessed entry when one was given
 * @param firstBrokenSequence the sequence of the first entry that is edited, missing or out of place; absent when
 *        valid
 * @param problem what is wrong with that entry; absent when valid
 * @param lastSequence the last entry checked, when valid: with {@code lastHash}, what a witness keeps outside the
 *        database and hands back later, so that a chain rewritten or cut back by someone with write access to the
 *        whole database (head row included) is still caught
 * @param lastHash that entry's hash, when valid
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(long entries, boolean valid, Long firstBrokenSequence, String problem,
        Long lastSequence, String lastHash) {

    static AuditVerification intact(long entries, long lastSequence, String lastHash) {
        return new AuditVerification(entries, true, null, null, lastSequence, lastHash);
    }

    static AuditVerification broken(long entries, long sequence, String problem) {
        return new AuditVerification(entries, false, sequence, problem, null, null);
    }
}
