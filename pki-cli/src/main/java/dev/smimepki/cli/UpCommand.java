package dev.smimepki.cli;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.smimepki.infra.LocalPostgres;
import dev.smimepki.infra.Ports;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pki up}: starts the platform in a detached supervisor process and waits until every service is ready; with
 * {@code --foreground} this process is the supervisor and Ctrl-C stops everything.
 */
@Command(name = "up", mixinStandardHelpOptions = true, header = UpCommand.HEADER, description = {
        "Starts PostgreSQL (the machine's on 127.0.0.1:5432 if it lets user postgres in, else an"
                + " embedded one on 5433 with data in .pki/postgres; PKI_DB_URL, PKI_DB_USER and PKI_DB_PASSWORD name"
                + " another), Kafka on 9092 and the four services on 8081-8084, then waits until every service is"
                + " ready. Returns once ready; the platform keeps running until 'pki down'.",
        "Secrets the services need (key-encryption keys) are generated once into .pki/secrets.env; variables in"
                + " .pki/services.env (NAME=value lines) are passed to every service and win over both."})
final class UpCommand implements Callable<Integer> {

    static final String HEADER = "Start PostgreSQL, Kafka and the four services; wait until all are ready.";

    private static final int LOG_TAIL_LINES = 40;

    @ParentCommand
    private Pki pki;

    @Spec
    private CommandSpec spec;

    @Option(names = "--foreground", description = "Stay attached: the platform runs until Ctrl-C.")
    private boolean foreground;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180", description = "How long to wait for every service to be ready (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
        }
        PlatformHome home = pki.home();
        PrintWriter out = spec.commandLine().getOut();
        refuseIfRunning(home);
        requireBuilt(home);
        List<String> taken = takenPorts(expectedPorts(embeddedPostgresExpected()));
        if (!taken.isEmpty()) {
            throw new CommandFailure(ExitCode.ERROR, "cannot start, ports are taken:\n  " + String.join("\n  ", taken));
        }
        home.createDirectories();
        home.deleteStalePidFiles();
        home.info().delete();
        deleteQuietly(home.failureFile());
        out.println("starting PostgreSQL, Kafka and " + PlatformService.values().length + " services (logs in "
                + home.display(home.logsDir()) + "/)");
        out.flush();
        return foreground ? runInForeground(home, out) : runDetached(home, out);
    }

    /** Ports the platform binds, with what binds them. */
    static Map<Integer, String> expectedPorts(boolean embeddedPostgres) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(Supervisor.KAFKA_PORT, "Kafka");
        for (PlatformService service : PlatformService.values()) {
            ports.put(service.port(), service.id());
        }
        ports.put(PlatformService.LDAP_PORT, "directory-service LDAP");
        if (embeddedPostgres) {
            ports.put(Supervisor.EMBEDDED_POSTGRES_PORT, "embedded PostgreSQL");
        }
        return ports;
    }

    /** One line per taken port: which component needs it and, when it can be found, which process holds it. */
    static List<String> takenPorts(Map<Integer, String> ports) {
        List<String> taken = new ArrayList<>();
        for (Map.Entry<Integer, String> port : ports.entrySet()) {
            if (Ports.isInUse(port.getKey())) {
                taken.add("port " + port.getKey() + " (" + port.getValue() + ") is in use by "
                        + PortOwner.describe(port.getKey()).orElse("another program (run: ss -ltnp 'sport = :"
                                + port.getKey() + "')"));
            }
        }
        return taken;
    }

    static void refuseIfRunning(PlatformHome home) {
        Map<String, ProcessHandle> live = home.liveProcesses();
        if (live.containsKey(PlatformHome.SUPERVISOR)) {
            throw new CommandFailure(ExitCode.ERROR, "already running; ./pki status");
        }
        if (!live.isEmpty()) {
            throw new CommandFailure(ExitCode.ERROR, "processes of an earlier run are still alive ("
                    + live.entrySet().stream().map(entry -> entry.getKey() + " pid " + entry.getValue().pid())
                            .collect(Collectors.joining(", "))
                    + "); ./pki down stops them");
        }
    }

    private static void requireBuilt(PlatformHome home) {
        List<String> missing = new ArrayList<>();
        for (PlatformService service : PlatformService.values()) {
            if (!Files.isRegularFile(service.jar(home.root()))) {
                missing.add(home.display(service.jar(home.root())));
            }
        }
        if (!Files.isDirectory(home.kafkaLibDir())) {
            missing.add(home.display(home.kafkaLibDir()));
        }
        if (!missing.isEmpty()) {
            throw new CommandFailure(ExitCode.ERROR, "the platform is not built (missing " + String.join(", ", missing)
                    + "); run ./mvnw -DskipTests install in " + home.root());
        }
    }

    /** The supervisor's choice, made early to check port 5433 only when the embedded server will be used. */
    private static boolean embeddedPostgresExpected() {
        String url = System.getenv(LocalPostgres.URL_ENV);
        if (url != null && !url.isBlank()) {
            return false;
        }
        if (Boolean.parseBoolean(System.getenv(LocalPostgres.EMBEDDED_ENV))) {
            return true;
        }
        return LocalPostgres.machineServer().isEmpty();
    }

    private int runDetached(PlatformHome home, PrintWriter out) throws InterruptedException {
        Process supervisor = launchSupervisor(home);
        // written here too, so a Ctrl-C right now still finds the supervisor
        home.pidFile(PlatformHome.SUPERVISOR).write(supervisor.toHandle());
        StartupWatch watch = new StartupWatch(home, out, System.console() != null);
        AtomicBoolean settled = new AtomicBoolean();
        Thread onInterrupt = new Thread(() -> {
            if (settled.compareAndSet(false, true)) {
                watch.cancel();
                out.println();
                out.println("interrupted: stopping what was started...");
                out.flush();
                new PlatformStopper(home, out).stop();
                out.println("stopped");
                out.flush();
            }
        }, "pki-up-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Instant started = Instant.now();
        StartupWatch.Outcome outcome = watch.await(supervisor::isAlive, Duration.ofSeconds(timeoutSeconds));
        if (!settled.compareAndSet(false, true)) {
            onInterrupt.join(); // the JVM is exiting; let the hook finish what it prints
            return ExitCode.INTERRUPTED;
        }
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
        if (outcome.result() != StartupWatch.Outcome.Result.READY) {
            reportFailure(home, out, outcome);
            out.println("stopping what was started...");
            out.flush();
            new PlatformStopper(home, out).stop();
            out.println("stopped");
            return ExitCode.UNREACHABLE;
        }
        printSummary(home, out, started);
        out.println("./pki status shows the state, ./pki down stops everything");
        return ExitCode.OK;
    }

    private int runInForeground(PlatformHome home, PrintWriter out) throws InterruptedException {
        home.pidFile(PlatformHome.SUPERVISOR).write(ProcessHandle.current());
        PrintStream log;
        try {
            log = new PrintStream(new FileOutputStream(home.logFile(PlatformHome.SUPERVISOR).toFile(), true), true,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "cannot write " + home.logFile(PlatformHome.SUPERVISOR));
        }
        Supervisor supervisor = new Supervisor(home, log);
        StartupWatch watch = new StartupWatch(home, out, System.console() != null);
        AtomicBoolean signalled = new AtomicBoolean();
        supervisor.stopOnSignals(() -> {
            if (signalled.compareAndSet(false, true)) {
                watch.cancel();
                out.println();
                out.println("stopping everything...");
                out.flush();
            }
        });
        Thread starter = new Thread(supervisor::start, "pki-start");
        starter.start();
        Instant started = Instant.now();
        StartupWatch.Outcome outcome = watch.await(() -> !supervisor.isStopped(),
                Duration.ofSeconds(timeoutSeconds));
        switch (outcome.result()) {
            case READY :
                printSummary(home, out, started);
                out.println("running in the foreground: Ctrl-C stops everything");
                out.flush();
                supervisor.awaitStopped();
                out.println("stopped");
                return ExitCode.OK;
            case CANCELLED :
                supervisor.awaitStopped();
                out.println("stopped");
                return ExitCode.INTERRUPTED;
            default :
                reportFailure(home, out, outcome);
                out.println("stopping what was started...");
                out.flush();
                supervisor.stop();
                out.println("stopped");
                return ExitCode.UNREACHABLE;
        }
    }

    private Process launchSupervisor(PlatformHome home) {
        List<String> command = new ArrayList<>();
        // own session: the terminal's Ctrl-C and hang-up do not reach it once `up` has returned
        Supervisor.setsid().ifPresent(command::add);
        command.addAll(List.of(Supervisor.javaExecutable(), "-Xmx128m", "-XX:+UseSerialGC",
                "-D" + PlatformHome.HOME_PROPERTY + "=" + home.root(), "-cp", System.getProperty("java.class.path"),
                Pki.class.getName(), "--home", home.root().toString(), "supervise"));
        Path log = home.logFile(PlatformHome.SUPERVISOR);
        try {
            return new ProcessBuilder(command).directory(home.stateDir().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "cannot start the supervisor process: " + e.getMessage());
        }
    }

    private static void reportFailure(PlatformHome home, PrintWriter err, StartupWatch.Outcome outcome) {
        err.println("pki: " + outcome.problem());
        Path log = home.logFile(outcome.component());
        List<String> tail = LogTail.lastLines(log, LOG_TAIL_LINES);
        if (!tail.isEmpty()) {
            err.println("--- last lines of " + home.display(log) + " ---");
            tail.forEach(line -> err.println("  " + line));
            err.println("---");
        }
        err.flush();
    }

    private static void printSummary(PlatformHome home, PrintWriter out, Instant started) {
        PlatformInfo info = home.info();
        out.println("platform ready in " + Duration.between(started, Instant.now()).toSeconds() + " s");
        for (PlatformService service : PlatformService.values()) {
            String extra = service == PlatformService.DIRECTORY
                    ? "   LDAP ldap://localhost:" + PlatformService.LDAP_PORT
                    : "";
            out.printf("  %-18s %s%s%n", service.id(), service.baseUrl(), extra);
        }
        out.printf("  %-18s %s%n", "Kafka", info.get(PlatformInfo.KAFKA_BOOTSTRAP).orElse("?"));
        String mode = info.get(PlatformInfo.POSTGRES_MODE).orElse("?");
        String address = info.get(PlatformInfo.POSTGRES_ADDRESS).orElse("?");
        String database = switch (mode) {
            case "embedded" -> "embedded, " + address + ", data in " + home.display(home.postgresDir());
            case "machine" -> "this machine's, " + address;
            default -> "configured by " + LocalPostgres.URL_ENV + ", " + address;
        };
        out.printf("  %-18s %s (databases %s)%n", "PostgreSQL", database, databases());
        out.printf("  %-18s %s%n", "logs", home.logsDir());
        out.flush();
    }

    private static String databases() {
        List<String> names = new ArrayList<>();
        for (PlatformService service : PlatformService.values()) {
            names.add(service.database());
        }
        return String.join(", ", names);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // an old failure message is only shown if the supervisor fails again, which rewrites it
        }
    }
}
