package dev.smimepki.directory.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.directory.profile.RecipientFacts;

/**
 * Derives the {@link RecipientFacts} of certificates stored without this version's: rows written before the facts
 * existed or by older rules, and rows loaded with SQL. Until then their look-ups parse the DER, so nothing waits for
 * it; it only makes them cheap. Rows of newer rules (a newer instance during an upgrade) are left alone. Instances
 * share the work (rows locked with SKIP LOCKED), in batches of {@link #BATCH}, each its own transaction, which tells
 * the look-up caches nothing (migration V4): the facts change no answer. A DER that does not parse, or whose facts
 * cannot be derived, gets facts saying so, and is not tried again.
 */
@ApplicationScoped
public class RecipientFactsBackfill {
    private static final Logger LOG = Logger.getLogger(RecipientFactsBackfill.class);
    static final int BATCH = 500;

    private final AgroalDataSource dataSource;

    RecipientFactsBackfill(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Scheduled(every = "${pki.directory.facts-backfill.every}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            backfill();
        } catch (SQLException e) {
            LOG.warnf("deriving stored certificates' look-up facts stopped until the next round: %s", e.getMessage());
        }
    }

    /** Derives the facts of every row that lacks this version's; how many it derived. */
    public int backfill() throws SQLException {
        int total = 0;
        long start = System.nanoTime();
        int done;
        do {
            done = batch();
            total += done;
        } while (done == BATCH);
        if (total > 0) {
            LOG.infof("derived the look-up facts of %d stored certificates in %d ms", total,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return total;
    }

    private int batch() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement quiet = connection
                        .prepareStatement("select set_config('pki.directory.deriving_facts', 'on', true)")) {
                    quiet.execute();
                }
                int done = 0;
                try (PreparedStatement select = connection.prepareStatement("""
                        select fingerprint_sha256, der from directory_certificate
                        where facts_version is null or facts_version < ?
                        limit ? for update skip locked""");
                        PreparedStatement update = connection.prepareStatement("""
                                update directory_certificate set facts_version = ?, key_usage = ?, emails = ?,
                                    key_description = ?, common_name = ?, unusable_because = ?
                                where fingerprint_sha256 = ?""")) {
                    select.setInt(1, RecipientFacts.VERSION);
                    select.setInt(2, BATCH);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            String fingerprint = rows.getString(1);
                            RecipientFacts facts = derive(fingerprint, rows.getBytes(2));
                            update.setInt(1, RecipientFacts.VERSION);
                            update.setArray(2, connection.createArrayOf("text", facts.keyUsage().toArray()));
                            update.setArray(3, connection.createArrayOf("text", facts.emails().toArray()));
                            update.setString(4, facts.key());
                            update.setString(5, facts.commonName().orElse(null));
                            update.setArray(6, connection.createArrayOf("text", facts.unusableBecause().toArray()));
                            update.setString(7, fingerprint);
                            update.addBatch();
                            done++;
                        }
                    }
                    if (done > 0) {
                        update.executeBatch();
                    }
                }
                connection.commit();
                return done;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static RecipientFacts derive(String fingerprint, byte[] der) {
        try {
            return RecipientFacts.of(Certificate.of(der));
        } catch (RuntimeException e) { // PkiFormatException, or anything else the DER provokes: never retried forever
            LOG.warnf("stored certificate %s is not a readable certificate: %s", fingerprint, e.getMessage());
            return new RecipientFacts(List.of(), List.of(), "unreadable", Optional.empty(),
                    List.of("the stored certificate cannot be read: " + e.getMessage()));
        }
    }
}
