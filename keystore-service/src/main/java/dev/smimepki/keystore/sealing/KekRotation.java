package dev.smimepki.keystore.sealing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

import dev.smimepki.keystore.KeystoreConfig;

/**
 * Rewraps every data key still wrapped under a KEK version other than the active one, in the background and without
 * downtime: batch by batch ({@link DataKeyRewrap}), each batch its own transaction. A crash loses at most the batch
 * in flight, whose rows keep their old, still configured version; the next run, here or on another replica, carries
 * on where the last committed batch ended. Private key ciphertexts never change: only 32-byte data keys are rewrapped.
 */
@ApplicationScoped
public class KekRotation {
    private static final Logger LOG = Logger.getLogger(KekRotation.class);

    private final AgroalDataSource dataSource;
    private final EnvelopeEncryption envelope;
    private final KeyEncryptionKeys keks;
    private final KeystoreConfig.Rotation config;
    private final AtomicLong pending = new AtomicLong(-1);

    KekRotation(AgroalDataSource dataSource, EnvelopeEncryption envelope, KeyEncryptionKeys keks,
            KeystoreConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.envelope = envelope;
        this.keks = keks;
        this.config = config.kek().rotation();
        registry.gauge("pki.keystore.kek.pending", pending);
    }

    @Scheduled(every = "${pki.keystore.kek.rotation.every:30s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            rotate();
        } catch (SQLException e) {
            LOG.warnf("key-encryption key rotation interrupted, resumes on the next run: %s", e.getMessage());
        }
    }

    /**
     * Rewraps until no data key under another configured version is left.
     *
     * @return how many data keys were rewrapped
     */
    public int rotate() throws SQLException {
        Set<String> older = new TreeSet<>(keks.versions());
        older.remove(keks.activeVersion());
        int total = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            int batch = older.isEmpty() ? 0 : 1;
            while (batch > 0) {
                try {
                    batch = DataKeyRewrap.batch(connection, envelope, older, config.batchSize());
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
                total += batch;
                pause(batch);
            }
            long left = DataKeyRewrap.pending(connection, keks.activeVersion());
            connection.commit();
            pending.set(left);
            if (total > 0) {
                LOG.infof("rewrapped %d data keys to key-encryption key version %s", total, keks.activeVersion());
            }
            if (left > 0) {
                // Rows under a version no longer configured stay unreadable until it is configured again.
                LOG.errorf("%d data keys are wrapped under key-encryption key versions that are not configured",
                        left);
            }
        }
        return total;
    }

    /** Data keys not yet under the active version, as of the last run; -1 before the first. */
    public long pending() {
        return pending.get();
    }

    private void pause(int batch) {
        Duration pause = config.pauseBetweenBatches();
        if (batch > 0 && !pause.isZero()) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
