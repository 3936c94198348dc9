package dev.smimepki.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code .pki/platform.properties}: what the supervisor started, for {@code up} and {@code status} to show. Holds
 * addresses only, never a password.
 */
final class PlatformInfo {

    /** {@code embedded}, {@code machine} or {@code configured} (PKI_DB_URL). */
    static final String POSTGRES_MODE = "postgres.mode";
    /** host:port of the PostgreSQL server. */
    static final String POSTGRES_ADDRESS = "postgres.address";
    /** Kafka bootstrap servers. */
    static final String KAFKA_BOOTSTRAP = "kafka.bootstrap";

    private final Path file;

    PlatformInfo(Path file) {
        this.file = file;
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(read().getProperty(key));
    }

    synchronized void put(String key, String value) {
        Properties properties = read();
        properties.setProperty(key, value);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, "written by the pki supervisor; deleted when it stops");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private Properties read() {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                // a half-written file reads as empty; the next poll sees the whole one
            }
        }
        return properties;
    }
}
