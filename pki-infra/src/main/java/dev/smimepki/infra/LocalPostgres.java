package dev.smimepki.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.Driver;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL server the platform runs against on a developer machine or in CI: a configured server
 * ({@code PKI_DB_URL}), else the machine's own server on 127.0.0.1:5432, else an embedded server (zonky) whose data
 * directory survives restarts.
 */
public final class LocalPostgres implements AutoCloseable {

    /** JDBC URL of a server to use instead of looking for one, e.g. {@code jdbc:postgresql://db:5432/postgres}. */
    public static final String URL_ENV = "PKI_DB_URL";
    public static final String URL_PROPERTY = "pki.db.url";
    public static final String USER_ENV = "PKI_DB_USER";
    public static final String USER_PROPERTY = "pki.db.user";
    public static final String PASSWORD_ENV = "PKI_DB_PASSWORD";
    public static final String PASSWORD_PROPERTY = "pki.db.password";
    /** {@code true} skips the machine's server and always starts the embedded one. */
    public static final String EMBEDDED_ENV = "PKI_DB_EMBEDDED";
    public static final String EMBEDDED_PROPERTY = "pki.db.embedded";
    /** Port of the machine's own server. */
    public static final int MACHINE_PORT = 5432;

    private static final System.Logger LOG = System.getLogger(LocalPostgres.class.getName());
    private static final String SUPERUSER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^/?]+)(?:/([^?]*))?(\\?.*)?");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration EMBEDDED_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(20);

    private final String hosts;
    private final String adminDatabase;
    private final String query;
    private final String username;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final Path dataDirectory;

    private LocalPostgres(String hosts, String adminDatabase, String query, String username, String password,
            EmbeddedPostgres embedded, Path dataDirectory) {
        this.hosts = hosts;
        this.adminDatabase = adminDatabase;
        this.query = query;
        this.username = username;
        this.password = password;
        this.embedded = embedded;
        this.dataDirectory = dataDirectory;
    }

    /** {@link #startOrConnect(Path, int)} with the embedded server on a free port. */
    public static LocalPostgres startOrConnect(Path embeddedDataDir) {
        return startOrConnect(embeddedDataDir, 0);
    }

    /**
     * The configured server ({@value #URL_ENV} / {@value #URL_PROPERTY} with {@value #USER_ENV} and
     * {@value #PASSWORD_ENV}), else the machine's server on 127.0.0.1:5432 if it lets user {@code postgres} in, else
     * an embedded server with its data in {@code embeddedDataDir} ({@value #EMBEDDED_ENV}=true skips the machine's
     * server).
     *
     * @param embeddedPort port of the embedded server, 0 for a free one; a fixed port lets services restart on their
     *        own and still find it
     */
    public static LocalPostgres startOrConnect(Path embeddedDataDir, int embeddedPort) {
        Optional<String> url = setting(URL_PROPERTY, URL_ENV);
        if (url.isPresent()) {
            return connect(url.get(), setting(USER_PROPERTY, USER_ENV).orElse(SUPERUSER),
                    setting(PASSWORD_PROPERTY, PASSWORD_ENV).orElse(""));
        }
        if (!setting(EMBEDDED_PROPERTY, EMBEDDED_ENV).map(Boolean::parseBoolean).orElse(false)) {
            Optional<LocalPostgres> machine = machineServer();
            if (machine.isPresent()) {
                return machine.get();
            }
        }
        return startEmbedded(embeddedDataDir, embeddedPort);
    }

    /** A server given by JDBC URL and credentials; fails unless it answers. */
    public static LocalPostgres connect(String jdbcUrl, String username, String password) {
        Matcher url = POSTGRES_URL.matcher(jdbcUrl);
        if (!url.matches()) {
            throw new IllegalArgumentException(
                    "not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + jdbcUrl);
        }
        String database = url.group(2) == null || url.group(2).isEmpty() ? SUPERUSER : url.group(2);
        LocalPostgres server = new LocalPostgres(url.group(1), database, url.group(3) == null ? "" : url.group(3),
                username, password, null, null);
        try (Connection connection = server.open(database)) {
            LOG.log(Level.INFO, "using PostgreSQL at {0} as {1}", url.group(1), username);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + jdbcUrl + " does not let " + username + " in: "
                    + e.getMessage(), e);
        }
        return server;
    }

    /** The machine's server on 127.0.0.1:5432 when it answers user {@code postgres} within about two seconds. */
    public static Optional<LocalPostgres> machineServer() {
        if (!Ports.isAcceptingConnections("127.0.0.1", MACHINE_PORT, Duration.ofMillis(500))) {
            return Optional.empty();
        }
        LocalPostgres server = new LocalPostgres("127.0.0.1:" + MACHINE_PORT, SUPERUSER, "", SUPERUSER, "", null,
                null);
        try (Connection connection = server.open(SUPERUSER)) {
            LOG.log(Level.INFO, "using the machine''s PostgreSQL on 127.0.0.1:{0}", String.valueOf(MACHINE_PORT));
            return Optional.of(server);
        } catch (SQLException e) {
            LOG.log(Level.INFO, "PostgreSQL on 127.0.0.1:{0} does not let user postgres in ({1}); set {2},"
                    + " {3} and {4} to use it", String.valueOf(MACHINE_PORT), e.getMessage(), URL_ENV, USER_ENV,
                    PASSWORD_ENV);
            return Optional.empty();
        }
    }

    /**
     * Starts an embedded server with its data in {@code dataDir}, created on the first start and kept afterwards. A
     * server left running in {@code dataDir} by a process that died is shut down first. The server's output goes
     * to {@code <dataDir>.log}.
     *
     * @param port 0 for a free port
     */
    public static LocalPostgres startEmbedded(Path dataDir, int port) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path log = dir.resolveSibling(dir.getFileName() + ".log");
        try {
            Files.createDirectories(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir.getParent(), e);
        }
        stopOrphanedServer(dir);
        int chosenPort = port == 0 ? Ports.freePort() : port;
        Ports.requireFree(chosenPort, "embedded PostgreSQL");
        long logOffset = sizeOf(log);
        EmbeddedPostgres embedded;
        try {
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(chosenPort)
                    .setPGStartupWait(EMBEDDED_START_TIMEOUT)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start on port " + chosenPort + " with data in "
                    + dir + ": " + e.getMessage() + "; end of " + log + ":\n" + tail(log, logOffset), e);
        }
        LOG.log(Level.INFO, "embedded PostgreSQL ready on 127.0.0.1:{0} (data {1})", String.valueOf(chosenPort), dir);
        return new LocalPostgres("127.0.0.1:" + chosenPort, SUPERUSER, "", SUPERUSER, "", embedded, dir);
    }

    /** JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hosts + "/" + database + query;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** Whether this handle started the (embedded) server, so {@link #close()} stops it. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Data directory of the embedded server. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDirectory);
    }

    /** A new connection to {@code database}, with short connect and login timeouts. */
    public Connection open(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", Long.toString(PROBE_TIMEOUT.toSeconds()));
        properties.setProperty("loginTimeout", Long.toString(PROBE_TIMEOUT.toSeconds()));
        // the driver directly, not DriverManager: that one ignores drivers outside the caller's class loader
        Connection connection = new Driver().connect(jdbcUrl(database), properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + jdbcUrl(database));
        }
        return connection;
    }

    /**
     * Creates {@code name} unless it exists.
     *
     * @return whether it was created
     */
    public boolean createDatabaseIfMissing(String name) {
        requireDatabaseName(name);
        try (Connection connection = open(adminDatabase)) {
            if (databaseExists(connection, name)) {
                return false;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
                return true;
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) { // duplicate_database: created concurrently
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether database {@code name} exists. */
    public boolean databaseExists(String name) {
        requireDatabaseName(name);
        try (Connection connection = open(adminDatabase)) {
            return databaseExists(connection, name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Drops {@code name} if it exists, closing the sessions still connected to it. */
    public void dropDatabase(String name) {
        requireDatabaseName(name);
        try (Connection connection = open(adminDatabase); Statement statement = connection.createStatement()) {
            boolean force = connection.getMetaData().getDatabaseMajorVersion() >= 13;
            statement.execute("DROP DATABASE IF EXISTS " + name + (force ? " WITH (FORCE)" : ""));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Stops the embedded server if this handle started it; a machine or configured server is left alone. */
    @Override
    public void close() {
        if (embedded != null) {
            Optional<ProcessHandle> postmaster = postmaster(dataDirectory);
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop embedded PostgreSQL in " + dataDirectory, e);
            }
            // pg_ctl returns once postmaster.pid is gone, a moment before the process itself has exited
            postmaster.ifPresent(handle -> awaitExit(handle, ORPHAN_STOP_TIMEOUT));
        }
    }

    @Override
    public String toString() {
        return "LocalPostgres[" + hosts + (embedded != null ? ", embedded in " + dataDirectory : "") + "]";
    }

    private static boolean databaseExists(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    private static void requireDatabaseName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database names here are 1 to 63 of [a-z0-9_], not: " + name);
        }
    }

    /**
     * Shuts down a server still running in {@code dataDir} after the JVM that started it died (zonky's shutdown hook
     * never ran); otherwise the new server would refuse the data directory.
     */
    private static void stopOrphanedServer(Path dataDir) {
        Optional<ProcessHandle> postmaster = postmaster(dataDir);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle handle = postmaster.get();
        if (isLockedByLiveOwner(dataDir)) {
            throw new IllegalStateException("an embedded PostgreSQL (pid " + handle.pid() + ") started by a running"
                    + " process already runs in " + dataDir + "; stop it or use another directory");
        }
        LOG.log(Level.WARNING, "stopping PostgreSQL {0} left running in {1}", String.valueOf(handle.pid()), dataDir);
        // SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to disconnect)
        if (!signalInterrupt(handle.pid())) {
            handle.destroy();
        }
        if (!awaitExit(handle, ORPHAN_STOP_TIMEOUT)) {
            handle.destroyForcibly();
            throw new IllegalStateException("PostgreSQL " + handle.pid() + " left running in " + dataDir
                    + " did not stop within " + ORPHAN_STOP_TIMEOUT.toSeconds() + " s; killed it, try again");
        }
    }

    /** Whether the JVM that started the server in {@code dataDir} still holds zonky's lock file there. */
    private static boolean isLockedByLiveOwner(Path dataDir) {
        Path lockFile = dataDir.resolve("epg-lock");
        if (!Files.isRegularFile(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true; // held in this very JVM
        } catch (IOException e) {
            return false;
        }
    }

    /** The live postmaster of {@code dataDir}, by its {@code postmaster.pid}. */
    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.isRegularFile(pidFile)
                    ? Files.readAllLines(pidFile, StandardCharsets.UTF_8)
                    : List.of();
            return lines.isEmpty()
                    ? Optional.empty()
                    : ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive)
                            .filter(handle -> handle.info().command().map(c -> c.contains("postgres")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // unreadable or stale: PostgreSQL itself removes a stale postmaster.pid
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private static boolean signalInterrupt(long pid) {
        try {
            return new ProcessBuilder("kill", "-INT", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<String> setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String tail(Path file, long offset) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String[] lines = new String(bytes, (int) Math.min(offset, bytes.length),
                    (int) Math.max(0, bytes.length - offset), StandardCharsets.UTF_8).split("\n");
            return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
