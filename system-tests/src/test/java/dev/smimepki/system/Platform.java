package dev.smimepki.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.smimepki.cli.BearerToken;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.infra.KafkaBroker;
import dev.smimepki.infra.LocalPostgres;
import dev.smimepki.infra.Ports;

/**
 * The whole platform for system tests, once per test JVM: a real Kafka broker, a database per service on real
 * PostgreSQL (the machine's or embedded), and the four packaged services as processes with the secrets
 * {@code ./pki up} would give them. Tests crash and restart pieces of it through {@link #broker()} and
 * {@link #service}.
 */
final class Platform {
    static final List<String> SERVICES = List.of("ca-service", "keystore-service", "crypto-service",
            "directory-service");
    /** Generous: on a loaded 2-core machine four JVMs starting at once take their time. */
    private static final Duration READY = Duration.ofSeconds(240);
    private static Platform instance;
    private static RuntimeException failedStart;

    private final KafkaBroker broker;
    private final KeyPair tokenKeys = KeyPairs.generate(KeyAlgorithm.RSA_2048);
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> environments = new HashMap<>();
    private final List<ServiceProcess> replicas = new ArrayList<>();
    private final Path root;
    private final Path logs;
    private final int ldapPort;
    private final LocalPostgres postgres;
    private final List<String> databases = new ArrayList<>();

    private Platform() {
        root = Path.of("").toAbsolutePath().getParent();
        Path target = Path.of("target").toAbsolutePath();
        logs = target.resolve("system-logs");
        deleteRecursively(logs); // each run's logs alone, so a failure shows this run's lines
        broker = KafkaBroker.startFresh(target.resolve("system-kafka"), 0);
        postgres = LocalPostgres.startOrConnect(target.resolve("system-postgres"));
        int[] ports = Ports.freePorts(SERVICES.size() + 1);
        ldapPort = ports[SERVICES.size()];
        Map<String, String> urls = new HashMap<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            urls.put(SERVICES.get(i), "http://127.0.0.1:" + ports[i]);
        }
        Map<String, String> shared = new HashMap<>();
        shared.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        shared.put("MP_JWT_VERIFY_PUBLICKEY", base64(tokenKeys.getPublic().getEncoded()));
        shared.put("PKI_SERVICE_TOKEN_KEY", base64(tokenKeys.getPrivate().getEncoded()));
        shared.put("PKI_CA_KEY_ENCRYPTION_KEY", randomKey());
        shared.put("PKI_KEYSTORE_KEK", randomKey());
        shared.put("PKI_CA_URL", urls.get("ca-service"));
        shared.put("PKI_CA_PUBLIC_BASE_URL", urls.get("ca-service"));
        shared.put("PKI_KEYSTORE_URL", urls.get("keystore-service"));
        shared.put("PKI_CRYPTO_URL", urls.get("crypto-service"));
        shared.put("PKI_DIRECTORY_URL", urls.get("directory-service"));
        shared.put("PKI_DIRECTORY_LDAP_PORT", Integer.toString(ldapPort));
        shared.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        shared.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        for (int i = 0; i < SERVICES.size(); i++) {
            String name = SERVICES.get(i);
            String database = "system_" + name.replace("-service", "") + "_" + run;
            postgres.createDatabaseIfMissing(database);
            databases.add(database);
            Map<String, String> environment = new HashMap<>(shared);
            environment.put("QUARKUS_HTTP_PORT", Integer.toString(ports[i]));
            environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
            environments.put(name, environment);
            services.put(name, new ServiceProcess(root, name, ports[i], environment, logs));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "system-platform-stop"));
    }

    /**
     * The running platform, started on first use. A start that failed is stopped again and reported to every later
     * caller, instead of each test tripping over what the first attempt left behind.
     */
    static synchronized Platform get() {
        if (failedStart != null) {
            throw new IllegalStateException("the platform failed to start earlier in this run", failedStart);
        }
        if (instance == null) {
            Platform starting = null;
            try {
                starting = new Platform();
                starting.startServices();
            } catch (RuntimeException | Error e) {
                if (starting != null) {
                    starting.stop();
                }
                failedStart = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                throw e;
            }
            instance = starting;
        }
        return instance;
    }

    private void startServices() {
        services.values().forEach(ServiceProcess::start);
        services.values().forEach(service -> service.awaitReady(READY));
    }

    KafkaBroker broker() {
        return broker;
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    /** Another running instance of {@code service} on the same database and broker, as a second pod would be. */
    synchronized ServiceProcess startReplica(String service) {
        return startInstance(service, Map.of());
    }

    /** Another instance of {@code service} with some settings changed (e.g. another database); stopped with the rest. */
    synchronized ServiceProcess startInstance(String service, Map<String, String> overrides) {
        Map<String, String> environment = new HashMap<>(environments.get(service));
        environment.putAll(overrides);
        int port = Ports.freePort();
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        ServiceProcess replica = new ServiceProcess(root, service, port, environment, logs.resolve("replica-" + port));
        replicas.add(replica);
        replica.start();
        replica.awaitReady(READY);
        return replica;
    }

    String url(String service) {
        return services.get(service).baseUrl();
    }

    int ldapPort() {
        return ldapPort;
    }

    /** A token the services accept, as {@code ./pki token} makes them. */
    String token(String role, String mailbox) {
        return BearerToken.mint(tokenKeys.getPrivate(), role, mailbox, Instant.now(), Duration.ofHours(1));
    }

    /** The secret values the services were given (key-encryption keys, the token signing key), for log checks. */
    List<String> secretValues() {
        Map<String, String> environment = environments.get("ca-service");
        return List.of(environment.get("PKI_CA_KEY_ENCRYPTION_KEY"), environment.get("PKI_KEYSTORE_KEK"),
                environment.get("PKI_SERVICE_TOKEN_KEY"));
    }

    String adminToken() {
        return token("pki-admin", null);
    }

    /**
     * A home for {@code pki --home DIR} whose {@code .pki/secrets.env} holds this platform's token key, so the tokens
     * the CLI mints locally (as {@code ./pki up} would let it) are accepted by these services.
     */
    Path cliHome(Path dir) {
        Map<String, String> environment = environments.get("ca-service");
        StringBuilder secrets = new StringBuilder();
        for (String name : List.of("PKI_SERVICE_TOKEN_KEY", "MP_JWT_VERIFY_PUBLICKEY")) {
            secrets.append(name).append('=').append(environment.get(name)).append('\n');
        }
        try {
            Files.createDirectories(dir.resolve(".pki"));
            Files.writeString(dir.resolve(".pki/secrets.env"), secrets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The hidden {@code pki} options that point the CLI at this platform's services. */
    List<String> cliUrlOptions() {
        return List.of("--ca-url", url("ca-service"), "--keystore-url", url("keystore-service"), "--crypto-url",
                url("crypto-service"), "--directory-url", url("directory-service"));
    }

    private synchronized void stop() {
        replicas.forEach(ServiceProcess::stop);
        services.values().forEach(ServiceProcess::stop);
        broker.stop();
        for (String database : databases) {
            try {
                postgres.dropDatabase(database);
            } catch (RuntimeException e) {
                System.err.println("could not drop " + database + ": " + e.getMessage());
            }
        }
        databases.clear();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return base64(key);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
