package dev.smimepki.runtime.tx;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Work that must follow the current transaction only if it commits (waking the outbox relay, trusting what the
 * transaction wrote, forgetting cached reads), run in the committing thread before the commit returns.
 */
public final class AfterCommit {
    private AfterCommit() {
    }

    /** Runs {@code action} once the current transaction has committed; never when it rolls back. */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
