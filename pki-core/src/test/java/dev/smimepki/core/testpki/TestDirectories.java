package dev.smimepki.core.testpki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scratch directories for tests, under the module's target/ so that mvn clean removes them, never in /tmp. */
public final class TestDirectories {
    private TestDirectories() {
    }

    /** A new directory target/PREFIXnnn of the module the test runs in. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
