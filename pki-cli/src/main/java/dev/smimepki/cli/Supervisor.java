package dev.smimepki.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.smimepki.infra.KafkaBroker;
import dev.smimepki.infra.LocalPostgres;

/**
 * Owns the running platform: PostgreSQL (the machine's, or embedded), the Kafka broker and the four services. One
 * long-lived process owns them all because the embedded PostgreSQL and the broker stop when the JVM that started them
 * exits (zonky's shutdown hook, the broker's parent watch); {@code pki down} stops this process and it stops the
 * rest in order: services, then Kafka, then PostgreSQL.
 */
final class Supervisor {

    static final int KAFKA_PORT = 9092;
    static final int EMBEDDED_POSTGRES_PORT = 5433;
    static final String SERVICE_HEAP = "-Xmx256m";

    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Duration START_ABORT_WAIT = Duration.ofSeconds(120);

    private final PlatformHome home;
    private final PrintStream log;
    private final Map<PlatformService, Process> services = new EnumMap<>(PlatformService.class);
    private final CountDownLatch startFinished = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private LocalPostgres postgres;
    private KafkaBroker kafka;
    private boolean stopping;

    Supervisor(PlatformHome home, PrintStream log) {
        this.home = home;
        this.log = log;
    }

    /**
     * Starts PostgreSQL, creates the databases, starts Kafka and launches the services (without waiting for them to
     * be ready: {@code pki up} does that). On failure the message goes to {@link PlatformHome#failureFile()} and what
     * was started is stopped.
     *
     * @return whether everything was launched
     */
    boolean start() {
        try {
            startPostgres();
            startKafka();
            for (PlatformService service : PlatformService.values()) {
                launch(service);
            }
            log("all components launched; services are starting");
            return true;
        } catch (StopRequested e) {
            log("start abandoned: stop requested");
            return false;
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            log("FAILED: " + message);
            e.printStackTrace(log);
            writeFailure(message);
            startFinished.countDown();
            stop();
            return false;
        } finally {
            startFinished.countDown();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /**
     * Stops on SIGTERM, SIGINT and SIGHUP, after running {@code onSignal}; the JVM keeps running, so whoever waits in
     * {@link #awaitStopped()} decides how to exit. Handling the signals rather than stopping in a shutdown hook keeps
     * the order: a hook would run alongside zonky's, which stops PostgreSQL while the services still use it.
     */
    @SuppressWarnings("restriction")
    void stopOnSignals(Runnable onSignal) {
        for (String name : List.of("TERM", "INT", "HUP")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> new Thread(() -> {
                log("SIG" + name + " received");
                onSignal.run();
                stop();
            }, "pki-stop").start());
        }
    }

    /** Stops services (SIGTERM, then SIGKILL after a grace period), Kafka and the embedded PostgreSQL. Idempotent. */
    void stop() {
        synchronized (this) {
            if (stopping) {
                awaitQuietly(stopped, START_ABORT_WAIT.plus(SERVICE_STOP_GRACE));
                return;
            }
            stopping = true;
        }
        // the start thread checks `stopping` between steps; a step under way (PostgreSQL, Kafka) runs to its end
        if (!awaitQuietly(startFinished, START_ABORT_WAIT)) {
            log("start still running after " + START_ABORT_WAIT.toSeconds() + " s; stopping what is known");
        }
        try {
            stopServices();
            if (kafka != null) {
                log("stopping Kafka");
                runQuietly(kafka::stop);
            }
            home.pidFile(PlatformHome.KAFKA).delete();
            if (postgres != null && postgres.isEmbedded()) {
                log("stopping embedded PostgreSQL");
                runQuietly(postgres::close);
            }
            home.pidFile(PlatformHome.POSTGRES).delete();
            home.info().delete();
            PidFile own = home.pidFile(PlatformHome.SUPERVISOR);
            if (own.recordedPid().orElse(-1) == ProcessHandle.current().pid()) {
                own.delete();
            }
            log("stopped");
        } finally {
            stopped.countDown();
        }
    }

    private void startPostgres() {
        checkNotStopping();
        System.setProperty(KafkaBroker.LIB_PROPERTY, home.kafkaLibDir().toString());
        log("starting PostgreSQL (the machine's if it answers, else embedded on port " + EMBEDDED_POSTGRES_PORT + ")");
        LocalPostgres server = LocalPostgres.startOrConnect(home.postgresDir(), EMBEDDED_POSTGRES_PORT);
        synchronized (this) {
            postgres = server;
        }
        String address = server.jdbcUrl("postgres").replaceFirst("^jdbc:postgresql://([^/]*)/.*$", "$1");
        if (server.isEmbedded()) {
            postmasterPid(home.postgresDir()).flatMap(ProcessHandle::of)
                    .ifPresent(handle -> home.pidFile(PlatformHome.POSTGRES).write(handle));
            link(home.stateDir().resolve("postgres.log"), "postgres");
        }
        for (PlatformService service : PlatformService.values()) {
            checkNotStopping();
            if (server.createDatabaseIfMissing(service.database())) {
                log("created database " + service.database());
            }
        }
        home.info().put(PlatformInfo.POSTGRES_MODE, postgresMode(server));
        home.info().put(PlatformInfo.POSTGRES_ADDRESS, address);
        log("PostgreSQL ready on " + address + " (" + postgresMode(server) + ")");
    }

    private void startKafka() {
        checkNotStopping();
        log("starting Kafka on port " + KAFKA_PORT + " (data in " + home.kafkaDir() + ")");
        KafkaBroker broker = KafkaBroker.start(home.kafkaDir(), KAFKA_PORT);
        synchronized (this) {
            kafka = broker;
        }
        ProcessHandle.of(broker.pid()).ifPresent(handle -> home.pidFile(PlatformHome.KAFKA).write(handle));
        link(broker.logFile(), "kafka");
        home.info().put(PlatformInfo.KAFKA_BOOTSTRAP, broker.bootstrapServers());
        log("Kafka ready on " + broker.bootstrapServers());
    }

    private void launch(PlatformService service) {
        checkNotStopping();
        Path jar = service.jar(home.root());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(service.id() + " is not built: " + jar + " is missing");
        }
        Path logFile = home.logFile(service.id());
        rotate(logFile);
        List<String> command = new ArrayList<>();
        // own session: a Ctrl-C in the terminal of `pki up --foreground` reaches only us, and we stop them in order
        setsid().ifPresent(command::add);
        command.addAll(List.of(javaExecutable(), SERVICE_HEAP, "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.stateDir().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(serviceEnvironment(service));
        Process process;
        synchronized (this) {
            checkNotStopping();
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot launch " + service.id() + ": " + e.getMessage(), e);
            }
            services.put(service, process);
        }
        home.pidFile(service.id()).write(process.toHandle());
        process.onExit().thenAccept(exited -> {
            if (!isStopping()) {
                log(service.id() + " exited with code " + exited.exitValue() + "; see " + logFile);
            }
        });
        log("launched " + service.id() + " (pid " + process.pid() + ") on " + service.baseUrl());
    }

    private Map<String, String> serviceEnvironment(PlatformService service) {
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(service.port()));
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(service.database()));
        environment.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        environment.put("PKI_CA_PUBLIC_BASE_URL", PlatformService.CA.baseUrl());
        environment.put("PKI_CA_URL", PlatformService.CA.baseUrl());
        environment.put("PKI_KEYSTORE_URL", PlatformService.KEYSTORE.baseUrl());
        environment.put("PKI_CRYPTO_URL", PlatformService.CRYPTO.baseUrl());
        environment.put("PKI_DIRECTORY_URL", PlatformService.DIRECTORY.baseUrl());
        LocalSecrets.loadOrCreate(home.stateDir().resolve("secrets.env")).forEach((name, value) -> {
            if (System.getenv(name) == null) {
                environment.put(name, value);
            }
        });
        environment.putAll(LocalEnvironment.read(home.stateDir().resolve("services.env")));
        return environment;
    }

    private void stopServices() {
        Map<PlatformService, Process> running;
        synchronized (this) {
            running = new EnumMap<>(services);
        }
        if (!running.isEmpty()) {
            log("stopping services");
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Map.Entry<PlatformService, Process> entry : running.entrySet()) {
            stops.add(CompletableFuture.runAsync(() -> stopProcess(entry.getKey().id(), entry.getValue().toHandle())));
        }
        stops.forEach(CompletableFuture::join);
        for (PlatformService service : PlatformService.values()) {
            home.pidFile(service.id()).delete();
        }
    }

    private void stopProcess(String name, ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        if (!awaitExit(handle, SERVICE_STOP_GRACE)) {
            log(name + " did not stop within " + SERVICE_STOP_GRACE.toSeconds() + " s; killing it");
            handle.destroyForcibly();
            awaitExit(handle, KILL_WAIT);
        }
        log("stopped " + name);
    }

    static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (Exception e) {
            return !handle.isAlive();
        }
    }

    /** The pid in PostgreSQL's {@code postmaster.pid} (first line) of a data directory. */
    static Optional<Long> postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Optional<String> setsid() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String postgresMode(LocalPostgres server) {
        if (server.isEmbedded()) {
            return "embedded";
        }
        String configured = System.getenv(LocalPostgres.URL_ENV);
        return configured != null && !configured.isBlank() ? "configured" : "machine";
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    private synchronized void checkNotStopping() {
        if (stopping) {
            throw new StopRequested();
        }
    }

    /** Keeps the previous run's log as {@code <name>.log.1}. */
    private static void rotate(Path logFile) {
        try {
            if (Files.exists(logFile)) {
                Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // keep appending to the old one
        }
    }

    /** A link in {@code logs/} to a log that lives elsewhere, so all logs are in one folder. */
    private void link(Path target, String name) {
        Path link = home.logFile(name);
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, link.getParent().relativize(target.toAbsolutePath()));
        } catch (IOException | UnsupportedOperationException e) {
            log("cannot link " + link + " to " + target + ": " + e.getMessage());
        }
    }

    private void writeFailure(String message) {
        try {
            Files.writeString(home.failureFile(), message + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            log("cannot write " + home.failureFile() + ": " + e.getMessage());
        }
    }

    private void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log("while stopping: " + e.getMessage());
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void log(String message) {
        log.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [supervisor] " + message);
        log.flush();
    }

    private static final class StopRequested extends RuntimeException {

        private static final long serialVersionUID = 1L;

        StopRequested() {
            super("stop requested", null, false, false);
        }
    }
}
