package dev.smimepki.runtime.audit;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Walks the audit chain from entry 1 and reports the first entry that was edited (its hash no longer matches),
 * deleted (a gap, or a tail shorter than the head), or moved (its previous hash is not its predecessor's hash). The
 * chain and its head live in one database, so whoever can write all of it can rewrite both consistently; a head
 * witnessed earlier and kept elsewhere ({@link Witness}) catches that too, up to the witnessed entry.
 */
@ApplicationScoped
public class AuditChainVerifier {
    /** Entries read per query: the chain is walked in batches, never held in memory whole. */
    static final int BATCH = 1000;

    private final AuditLog log;
    private final AuditChainer chainer;

    AuditChainVerifier(AuditLog log, AuditChainer chainer) {
        this.log = log;
        this.chainer = chainer;
    }

    /**
     * An entry seen in an earlier verification and kept outside the database: the chain must still hold it.
     *
     * @param sequence the entry's sequence
     * @param hash its hash, as that verification reported it
     */
    public record Witness(long sequence, String hash) {
    }

    public AuditVerification verify() {
        return verify(null);
    }

    /**
     * Links every entry committed so far, then verifies the chain and, when a witness is given, that the chain still
     * holds the witnessed entry.
     */
    public AuditVerification verify(Witness witness) {
        chainer.linkAll();
        return QuarkusTransaction.requiringNew().call(() -> walk(witness));
    }

    private AuditVerification walk(Witness witness) {
        // Entries appended while we walk lie beyond this head and are left for the next verification.
        AuditLog.ChainHead head = log.head();
        if (witness != null && witness.sequence() > head.lastSequence()) {
            return AuditVerification.broken(0, head.lastSequence() + 1, "the chain ends at entry "
                    + head.lastSequence() + " but entry " + witness.sequence() + " was witnessed: entries were deleted"
                    + " and the chain head rewritten");
        }
        long expected = 1;
        String previousHash = AuditEntry.GENESIS_HASH;
        long checked = 0;
        while (expected <= head.lastSequence()) {
            List<AuditEntry> batch = log.after(expected - 1, BATCH);
            for (AuditEntry entry : batch) {
                if (entry.sequence() > head.lastSequence()) {
                    break;
                }
                checked++;
                if (entry.sequence() != expected) {
                    return AuditVerification.broken(checked, expected, "entry " + expected + " is missing: the"
                            + " chain goes from " + (expected - 1) + " to " + entry.sequence());
                }
                if (!entry.previousHash().equals(previousHash)) {
                    return AuditVerification.broken(checked, expected, "entry " + expected + " does not follow"
                            + " entry " + (expected - 1) + " (previous hash differs): an entry was removed or moved");
                }
                if (!entry.hashMatches()) {
                    return AuditVerification.broken(checked, expected, "entry " + expected + " does not match its"
                            + " hash: it was edited");
                }
                if (witness != null && entry.sequence() == witness.sequence()
                        && !entry.hash().equalsIgnoreCase(witness.hash())) {
                    return AuditVerification.broken(checked, expected, "entry " + expected + " is not the entry"
                            + " witnessed earlier (its hash differs): the chain was rewritten at or before it");
                }
                previousHash = entry.hash();
                expected++;
            }
            if (batch.size() < BATCH || batch.get(batch.size() - 1).sequence() > head.lastSequence()) {
                break;
            }
        }
        if (expected <= head.lastSequence()) {
            return AuditVerification.broken(checked, expected, "entries " + expected + " to " + head.lastSequence()
                    + " are missing: the chain ends at " + (expected - 1));
        }
        if (!previousHash.equals(head.lastHash())) {
            return AuditVerification.broken(checked, head.lastSequence(), "entry " + head.lastSequence()
                    + " is not the entry the chain head records");
        }
        // Rows the head does not know of were written past the audit log, unless appended since we read the head.
        long max = log.maxSequence();
        AuditLog.ChainHead now = log.head();
        if (max > now.lastSequence()) {
            return AuditVerification.broken(checked, now.lastSequence() + 1, "entry " + (now.lastSequence() + 1)
                    + " and later were written outside the audit log (beyond the chain head)");
        }
        return AuditVerification.intact(checked, head.lastSequence(), head.lastHash());
    }
}
