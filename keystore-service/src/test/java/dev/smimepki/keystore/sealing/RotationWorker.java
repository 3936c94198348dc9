package dev.smimepki.keystore.sealing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Set;

/**
 * A separate JVM running the service's own rotation batches ({@link DataKeyRewrap}) against the test database, so
 * that a test can kill it with SIGKILL halfway, as a crashed replica. Arguments: JDBC URL, user, password, base64 KEK
 * version 1, base64 KEK version 2, batch size, pause between batches in milliseconds.
 */
public final class RotationWorker {
    private RotationWorker() {
    }

    public static void main(String[] args) throws Exception {
        EnvelopeEncryption envelope = new EnvelopeEncryption(new KeyEncryptionKeys("2", Map.of("1", args[3], "2",
                args[4])));
        int batchSize = Integer.parseInt(args[5]);
        long pause = Long.parseLong(args[6]);
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            connection.setAutoCommit(false);
            System.out.println("rotating");
            System.out.flush();
            int batch;
            do {
                batch = DataKeyRewrap.batch(connection, envelope, Set.of("1"), batchSize);
                connection.commit();
                Thread.sleep(pause);
            } while (batch > 0);
        }
        System.out.println("done");
    }
}
