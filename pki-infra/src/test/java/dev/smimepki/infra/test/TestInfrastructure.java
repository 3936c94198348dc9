package dev.smimepki.infra.test;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the test resources share across the class loaders of one test JVM: Quarkus may load a test resource class
 * once per application (test profile), so JVM-wide state lives in system properties and locks on an interned
 * string, both of which every class loader sees.
 */
final class TestInfrastructure {

    /** Interned, hence one object in the whole JVM whatever class loader loaded this class. */
    static final Object JVM_WIDE_LOCK = "dev.smimepki.infra.test.TestInfrastructure.lock".intern();

    private TestInfrastructure() {
    }

    /** {@code target/<name>} of the module under test (Maven runs tests in the module directory), else a temp dir. */
    static Path buildDirectory(String name) {
        Path target = Path.of("target").toAbsolutePath();
        Path base = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve(name);
    }
}
