package dev.smimepki.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repository the platform runs from and its state directory {@code .pki/}: pid files in {@code pids/}, logs in
 * {@code logs/}, embedded PostgreSQL data in {@code postgres/}, Kafka data in {@code kafka/}.
 */
record PlatformHome(Path root) {

    /** System property the {@code ./pki} script sets to the repository root. */
    static final String HOME_PROPERTY = "pki.home";

    static final String SUPERVISOR = "supervisor";
    static final String POSTGRES = "postgres";
    static final String KAFKA = "kafka";

    PlatformHome {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code --home}, else {@value #HOME_PROPERTY}, else the repository this class was loaded from, else cwd. */
    static PlatformHome locate(Path override) {
        if (override != null) {
            return new PlatformHome(override);
        }
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return new PlatformHome(Path.of(property));
        }
        return codeLocation().flatMap(PlatformHome::repositoryAbove).map(PlatformHome::new)
                .orElseGet(() -> new PlatformHome(Path.of("")));
    }

    /** Every component with a pid file, in start order. */
    static List<String> components() {
        List<String> names = new ArrayList<>(List.of(SUPERVISOR, POSTGRES, KAFKA));
        for (PlatformService service : PlatformService.values()) {
            names.add(service.id());
        }
        return Collections.unmodifiableList(names);
    }

    Path stateDir() {
        return root.resolve(".pki");
    }

    Path logsDir() {
        return stateDir().resolve("logs");
    }

    Path pidsDir() {
        return stateDir().resolve("pids");
    }

    Path postgresDir() {
        return stateDir().resolve("postgres");
    }

    Path kafkaDir() {
        return stateDir().resolve("kafka");
    }

    Path kafkaLibDir() {
        return root.resolve("pki-infra/target/kafka-broker");
    }

    Path logFile(String component) {
        return logsDir().resolve(component + ".log");
    }

    PidFile pidFile(String component) {
        return new PidFile(pidsDir().resolve(component + ".pid"));
    }

    /** What the supervisor tells the other commands: database in use, Kafka address. */
    PlatformInfo info() {
        return new PlatformInfo(stateDir().resolve("platform.properties"));
    }

    /** Why the supervisor gave up starting, for {@code pki up} to print. */
    Path failureFile() {
        return stateDir().resolve("start-failure.txt");
    }

    Optional<String> startFailure() {
        try {
            return Files.exists(failureFile())
                    ? Optional.of(Files.readString(failureFile(), StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The processes of this platform still alive, by component; stale pid files are ignored. */
    Map<String, ProcessHandle> liveProcesses() {
        Map<String, ProcessHandle> live = new LinkedHashMap<>();
        for (String component : components()) {
            pidFile(component).liveProcess().ifPresent(handle -> live.put(component, handle));
        }
        return live;
    }

    /** Removes pid files whose process is gone. */
    void deleteStalePidFiles() {
        for (String component : components()) {
            PidFile pidFile = pidFile(component);
            if (pidFile.isStale()) {
                pidFile.delete();
            }
        }
    }

    /** {@code path} relative to the root when inside it, for shorter messages. */
    String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }

    void createDirectories() {
        try {
            Files.createDirectories(logsDir());
            Files.createDirectories(pidsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + stateDir(), e);
        }
    }

    private static Optional<Path> codeLocation() {
        try {
            return Optional.of(Path.of(PlatformHome.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** pki-cli/target/classes or pki-cli/target/pki-cli.jar: the repository root is three levels up. */
    private static Optional<Path> repositoryAbove(Path location) {
        for (Path dir = location.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("pki-cli")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
