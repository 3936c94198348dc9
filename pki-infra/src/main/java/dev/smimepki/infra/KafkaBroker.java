package dev.smimepki.infra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one) running as its own JVM process from the
 * jars in {@code pki-infra/target/kafka-broker}, with its data kept in a work directory across restarts.
 *
 * <p>
 * Work directory layout: {@code broker.properties} (cluster id and ports, written once), {@code server.properties}
 * (Kafka configuration, rewritten at each start), {@code data/} (the Kafka log directory), {@code kafka.log} (the
 * broker's output, appended), {@code broker.pid} (while running) and {@code launcher/} (the process entry point).
 *
 * <p>
 * All state lives in the work directory, so two handles on the same directory (for instance from two class loaders
 * of one test JVM, see {@link #attach(Path)}) see the same process.
 */
public final class KafkaBroker implements AutoCloseable {

    /** System property naming the directory with the broker's jars. */
    public static final String LIB_PROPERTY = "pki.kafka.lib";
    /** Environment variable naming the directory with the broker's jars (the system property wins). */
    public static final String LIB_ENV = "PKI_KAFKA_LIB";
    /** Line the broker logs once it serves clients. */
    static final String STARTED_MARKER = "Kafka Server started";

    private static final System.Logger LOG = System.getLogger(KafkaBroker.class.getName());
    private static final String WORK_DIR_PROPERTY = "pki.kafka.workdir";
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(
            Long.getLong("pki.kafka.start-timeout-seconds", 90));
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration GRACEFUL_STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FORCED_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> BROKER_HEAP_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC");
    private static final List<String> TOOL_HEAP_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");
    private static final List<String> COMMON_JVM_OPTIONS = List.of("-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
            // the configuration dumps (hundreds of lines each, several per start) drown the useful lines
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn");

    private final Path workDir;
    private final Path libDir;
    private final String clusterId;
    private final int port;
    private final int controllerPort;

    private KafkaBroker(Path workDir, Path libDir, String clusterId, int port, int controllerPort) {
        this.workDir = workDir;
        this.libDir = libDir;
        this.clusterId = clusterId;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Starts a broker whose data lives in {@code workDir}: formats the storage on the first start only, so topics and
     * messages survive a later start on the same directory.
     *
     * @param port the client (PLAINTEXT) port; 0 reuses this directory's previous port when it is free, else picks a
     *        free one
     * @throws IllegalStateException when the broker jars are missing, a port is taken, a broker started by a live
     *         process already runs in {@code workDir}, or the broker does not come up (the message carries the tail
     *         of {@code kafka.log})
     */
    public static KafkaBroker start(Path workDir, int port) {
        Path dir = workDir.toAbsolutePath().normalize();
        Path libDir = brokerLibDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka work directory " + dir, e);
        }
        stopOrphanedBroker(dir);
        Properties state = readState(dir).orElseGet(Properties::new);
        String clusterId = state.getProperty("cluster.id", newClusterId());
        int clientPort = choosePort(port, state.getProperty("port"), "Kafka broker", -1);
        int controllerPort = choosePort(0, state.getProperty("controller.port"), "Kafka controller", clientPort);
        KafkaBroker broker = new KafkaBroker(dir, libDir, clusterId, clientPort, controllerPort);
        broker.writeState();
        broker.launch();
        return broker;
    }

    /**
     * Like {@link #start(Path, int)} but first stops any broker in {@code workDir} and deletes the directory; refuses
     * to delete a non-empty directory that is not a broker work directory.
     */
    public static KafkaBroker startFresh(Path workDir, int port) {
        Path dir = workDir.toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            if (readState(dir).isPresent()) {
                stopOrphanedBroker(dir);
                attach(dir).stop();
            } else if (!isEmptyDirectory(dir)) {
                throw new IllegalStateException("refusing to delete " + dir + ": it is not a Kafka broker work"
                        + " directory (no broker.properties)");
            }
            deleteRecursively(dir);
        }
        return start(dir, port);
    }

    /**
     * A handle on the broker of an existing work directory (running or not), e.g. to stop or restart a broker
     * another handle started.
     */
    public static KafkaBroker attach(Path workDir) {
        Path dir = workDir.toAbsolutePath().normalize();
        Properties state = readState(dir)
                .orElseThrow(() -> new IllegalStateException("no Kafka broker has been started in " + dir));
        return new KafkaBroker(dir, brokerLibDir(), state.getProperty("cluster.id"),
                Integer.parseInt(state.getProperty("port")), Integer.parseInt(state.getProperty("controller.port")));
    }

    /** {@code 127.0.0.1:<port>}, the value for {@code kafka.bootstrap.servers}. */
    public String bootstrapServers() {
        return LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path workDir() {
        return workDir;
    }

    /** The broker's output ({@code workDir/kafka.log}). */
    public Path logFile() {
        return workDir.resolve("kafka.log");
    }

    /** Process id of the running broker. */
    public long pid() {
        return process().orElseThrow(() -> new IllegalStateException("no Kafka broker runs in " + workDir)).pid();
    }

    public boolean isAlive() {
        return process().isPresent();
    }

    /** Stops the broker gracefully (SIGTERM, Kafka's controlled shutdown), forcibly if it does not exit in time. */
    public void stop() {
        Optional<ProcessHandle> running = process();
        if (running.isPresent()) {
            ProcessHandle handle = running.get();
            handle.destroy();
            if (!awaitExit(handle, GRACEFUL_STOP_TIMEOUT)) {
                LOG.log(Level.WARNING, "Kafka broker {0} did not stop within {1}; killing it",
                        String.valueOf(handle.pid()),
                        GRACEFUL_STOP_TIMEOUT);
                killAndWait(handle);
            }
        }
        deletePidFile();
    }

    /** Kills the broker at once (SIGKILL), as a crash would: for outage tests. */
    public void kill() {
        process().ifPresent(KafkaBroker::killAndWait);
        deletePidFile();
    }

    /** Stops the broker if it runs, then starts it again on the same ports and work directory. */
    public void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", " + workDir + "]";
    }

    /**
     * Runs a broker in the foreground until it exits or this JVM is interrupted:
     * {@code java -cp pki-infra.jar dev.smimepki.infra.KafkaBroker --dir DIR [--port 9092]}.
     */
    public static void main(String[] args) throws InterruptedException {
        Path dir = null;
        int port = 9092;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(requireValue(args, ++i));
                case "--port" -> port = Integer.parseInt(requireValue(args, ++i));
                default -> {
                    System.err.println("usage: KafkaBroker --dir DIR [--port PORT]  (PORT 0 picks a free port)");
                    System.exit(2);
                }
            }
        }
        if (dir == null) {
            System.err.println("usage: KafkaBroker --dir DIR [--port PORT]  (--dir is required)");
            System.exit(2);
        }
        KafkaBroker broker = start(dir, port);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            broker.stop();
        }, "kafka-broker-stop"));
        System.out.println("Kafka broker ready on " + broker.bootstrapServers() + " (pid " + broker.pid() + ", log "
                + broker.logFile() + ")");
        Optional<ProcessHandle> running = broker.process();
        if (running.isPresent()) {
            running.get().onExit().join();
        }
        if (!stopping.get()) { // exit() would block while the shutdown hooks run
            System.err.println("Kafka broker exited on its own; see " + broker.logFile());
            System.exit(1);
        }
    }

    /**
     * Directory with the broker's jars: {@value #LIB_PROPERTY}, else {@value #LIB_ENV}, else
     * {@code pki-infra/target/kafka-broker} found upward from the current directory.
     */
    public static Path brokerLibDir() {
        String configured = System.getProperty(LIB_PROPERTY, System.getenv(LIB_ENV));
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath();
            if (!containsKafkaJars(dir)) {
                throw new IllegalStateException(
                        "no Kafka broker jars (kafka_2.13-*.jar) in " + dir + " named by " + LIB_PROPERTY + "/"
                                + LIB_ENV);
            }
            return dir;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("pki-infra/target/kafka-broker"),
                    dir.resolve("target/kafka-broker"))) {
                if (containsKafkaJars(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("Kafka broker jars not found: no pki-infra/target/kafka-broker above " + start
                + ". Build them with `./mvnw -pl pki-infra install -DskipTests` in the project root, or point "
                + LIB_PROPERTY + " (or " + LIB_ENV + ") at a directory holding the Kafka jars.");
    }

    private void launch() {
        Ports.requireFree(port, "Kafka broker");
        Ports.requireFree(controllerPort, "Kafka controller");
        writeServerProperties();
        if (!Files.exists(dataDir().resolve("meta.properties"))) {
            format();
        }
        Path launcherDir = installLauncher();
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(BROKER_HEAP_OPTIONS);
        command.addAll(COMMON_JVM_OPTIONS);
        command.add("-D" + WORK_DIR_PROPERTY + "=" + workDir);
        command.add("-D" + ParentWatchingKafkaMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(launcherDir + File.pathSeparator + libDir.resolve("*"));
        command.add(ParentWatchingKafkaMain.class.getName());
        command.add(serverProperties().toString());

        long logOffset = appendLogHeader("starting broker on " + bootstrapServers());
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch the Kafka broker JVM " + command.get(0), e);
        }
        writeFile(pidFile(), Long.toString(process.pid()));
        awaitStarted(process, logOffset);
        LOG.log(Level.INFO, "Kafka broker ready on {0} (pid {1}, work dir {2})", bootstrapServers(),
                String.valueOf(process.pid()),
                workDir);
    }

    private void awaitStarted(Process process, long logOffset) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                deletePidFile();
                throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
                        + " while starting on " + bootstrapServers() + "; end of " + logFile() + ":\n"
                        + logTail(logOffset));
            }
            if (readLog(logOffset).contains(STARTED_MARKER)
                    && Ports.isAcceptingConnections(LOOPBACK, port, Duration.ofMillis(500))) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        killAndWait(process.toHandle());
        deletePidFile();
        throw new IllegalStateException("Kafka broker did not start on " + bootstrapServers() + " within "
                + START_TIMEOUT.toSeconds() + " s (killed it); end of " + logFile() + ":\n" + logTail(logOffset));
    }

    private void format() {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(TOOL_HEAP_OPTIONS);
        command.addAll(COMMON_JVM_OPTIONS);
        command.addAll(List.of("-cp", libDir.resolve("*").toString(), "kafka.tools.StorageTool", "format",
                "--standalone", "--ignore-formatted", "-t", clusterId, "-c", serverProperties().toString()));
        long logOffset = appendLogHeader("formatting storage in " + dataDir() + " for cluster " + clusterId);
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
            if (!process.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("formatting Kafka storage took longer than " + FORMAT_TIMEOUT
                        + "; end of " + logFile() + ":\n" + logTail(logOffset));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka storage failed (exit " + process.exitValue()
                        + "); end of " + logFile() + ":\n" + logTail(logOffset));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run Kafka's StorageTool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    private void writeServerProperties() {
        String listeners = "PLAINTEXT://" + LOOPBACK + ":" + port + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort;
        String text = String.join("\n",
                "# Written by dev.smimepki.infra.KafkaBroker at every start; edits are lost.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=" + LOOPBACK + ":" + controllerPort,
                "listeners=" + listeners,
                "advertised.listeners=PLAINTEXT://" + LOOPBACK + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + propertyValue(dataDir()),
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                // fewer internal partitions: creating 50 of them slows the first consumer group on a small machine
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=5",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
        writeFile(serverProperties(), text);
    }

    private void writeState() {
        writeFile(workDir.resolve("broker.properties"), String.join("\n",
                "# Identity of the broker in this directory, kept across restarts.",
                "cluster.id=" + clusterId,
                "port=" + port,
                "controller.port=" + controllerPort,
                ""));
    }

    private static Optional<Properties> readState(Path dir) {
        Path file = dir.resolve("broker.properties");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties state = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            state.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(state);
    }

    private static int choosePort(int requested, String previous, String usedFor, int other) {
        if (requested != 0) {
            return requested;
        }
        if (previous != null) {
            int port = Integer.parseInt(previous);
            if (port != other && !Ports.isInUse(port)) {
                return port;
            }
        }
        int[] candidates = Ports.freePorts(2);
        return candidates[0] != other ? candidates[0] : candidates[1];
    }

    /** The running broker process of this work directory, recognised by the work directory on its command line. */
    private Optional<ProcessHandle> process() {
        return readPid(workDir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(handle -> isBrokerOf(handle, workDir));
    }

    private static boolean isBrokerOf(ProcessHandle handle, Path dir) {
        // where the OS hides the command line, trust the pid file (it is deleted at every stop)
        return handle.info().commandLine().map(line -> line.contains("-D" + WORK_DIR_PROPERTY + "=" + dir))
                .orElse(true);
    }

    /** Stops a broker left running in {@code dir} by a JVM that has died; refuses when its owner still lives. */
    private static void stopOrphanedBroker(Path dir) {
        Optional<ProcessHandle> running = readPid(dir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(handle -> isBrokerOf(handle, dir));
        if (running.isEmpty()) {
            return;
        }
        ProcessHandle handle = running.get();
        Optional<Long> owner = handle.info().commandLine().flatMap(KafkaBroker::parentPidOf);
        boolean ownerAlive = owner.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        if (ownerAlive) {
            throw new IllegalStateException("a Kafka broker (pid " + handle.pid() + ", started by process "
                    + owner.get() + ") already runs in " + dir + "; stop it or use another directory");
        }
        LOG.log(Level.WARNING, "stopping orphaned Kafka broker {0} in {1}", String.valueOf(handle.pid()), dir);
        handle.destroy();
        if (!awaitExit(handle, GRACEFUL_STOP_TIMEOUT)) {
            killAndWait(handle);
        }
    }

    private static Optional<Long> parentPidOf(String commandLine) {
        String key = "-D" + ParentWatchingKafkaMain.PARENT_PID_PROPERTY + "=";
        int at = commandLine.indexOf(key);
        if (at < 0) {
            return Optional.empty();
        }
        int end = at + key.length();
        while (end < commandLine.length() && Character.isDigit(commandLine.charAt(end))) {
            end++;
        }
        try {
            return Optional.of(Long.parseLong(commandLine.substring(at + key.length(), end)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> readPid(Path dir) {
        Path file = dir.resolve("broker.pid");
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path installLauncher() {
        String resource = ParentWatchingKafkaMain.class.getSimpleName() + ".class";
        Path target = workDir.resolve("launcher")
                .resolve(ParentWatchingKafkaMain.class.getPackageName().replace('.', '/')).resolve(resource);
        try (InputStream in = ParentWatchingKafkaMain.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class file " + resource + " not found next to " + KafkaBroker.class);
            }
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the broker launcher in " + target, e);
        }
        return workDir.resolve("launcher");
    }

    private long appendLogHeader(String what) {
        try {
            long offset = Files.exists(logFile()) ? Files.size(logFile()) : 0;
            Files.writeString(logFile(), "==== " + Instant.now() + " pki-infra: " + what + " ====\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + logFile(), e);
        }
    }

    private String readLog(long offset) {
        try (FileChannel channel = FileChannel.open(logFile(), StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= offset) {
                return "";
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - offset, 16 * 1024 * 1024));
            channel.read(buffer, offset);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private String logTail(long offset) {
        String[] lines = readLog(offset).split("\n");
        int from = Math.max(0, lines.length - 40);
        return String.join("\n", List.of(lines).subList(from, lines.length));
    }

    private Path dataDir() {
        return workDir.resolve("data");
    }

    private Path serverProperties() {
        return workDir.resolve("server.properties");
    }

    private Path pidFile() {
        return workDir.resolve("broker.pid");
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + pidFile(), e);
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean containsKafkaJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(file -> file.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (IOException e) {
            return false;
        }
    }

    private static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name").startsWith("Windows") ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A fresh KRaft cluster id: 16 random bytes, URL-safe base64 without padding, as {@code Uuid.randomUuid()}. */
    private static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-")); // Kafka avoids these too: they read as options on a command line
        return id;
    }

    private static String propertyValue(Path path) {
        return path.toString().replace("\\", "\\\\");
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private static void killAndWait(ProcessHandle handle) {
        handle.destroyForcibly();
        if (!awaitExit(handle, FORCED_STOP_TIMEOUT)) {
            throw new IllegalStateException("Kafka broker " + handle.pid() + " survived SIGKILL for "
                    + FORCED_STOP_TIMEOUT.toSeconds() + " s");
        }
    }

    private static void writeFile(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static String requireValue(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException("missing value after " + args[index - 1]);
        }
        return args[index];
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }
}
