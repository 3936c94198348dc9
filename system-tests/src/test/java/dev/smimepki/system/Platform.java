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
    /** Where services reach each other: every instance of a service behind one address, as a Kubernetes Service. */
    private final Map<String, ServiceFront> fronts = new HashMap<>();
    /** The instances behind each front, the first started with the platform. */
    private final Map<String, List<ServiceProcess>> instances = new HashMap<>();
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
        Path spool = target.resolve("system-spool");
        deleteRecursively(spool);
        try {
            Files.createDirectories(spool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + spool, e);
        }
        broker = KafkaBroker.startFresh(target.resolve("system-kafka"), 0);
        postgres = LocalPostgres.startOrConnect(target.resolve("system-postgres"));
        int[] ports = Ports.freePorts(SERVICES.size() + 1);
        ldapPort = ports[SERVICES.size()];
        Map<String, String> urls = new HashMap<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            ServiceFront front = new ServiceFront(SERVICES.get(i));
            front.add(ports[i]);
            fronts.put(SERVICES.get(i), front);
            urls.put(SERVICES.get(i), front.url());
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
            if (name.equals("crypto-service")) {
                // the spool in the build's folder: the files of a request cut off by a test's SIGKILL stay there,
                // not in the machine's /tmp (a restarted service deletes only files over an hour old)
                environment.put("PKI_CRYPTO_TEMPORARY_DIRECTORY", spool.toString());
            }
            environments.put(name, environment);
            ServiceProcess service = new ServiceProcess(root, name, ports[i], identified(environment, name,
                    ports[i]), logs);
            services.put(name, service);
            instances.put(name, new ArrayList<>(List.of(service)));
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

    /**
     * Another running instance of {@code service} on the same database and broker, as a second pod would be: the
     * other services reach it through the service's front too.
     */
    synchronized ServiceProcess startReplica(String service) {
        ServiceProcess replica = startInstance(service, Map.of());
        joinFront(replica);
        return replica;
    }

    /**
     * Starts replicas (all at once, then waits for them) until each of {@code names} has {@code count} instances;
     * returns the ones started, for {@link #retire}.
     */
    synchronized List<ServiceProcess> scaleTo(int count, List<String> names) {
        List<ServiceProcess> started = new ArrayList<>();
        for (String name : names) {
            for (int i = instances.get(name).size(); i < count; i++) {
                started.add(launch(name, Map.of()));
            }
        }
        started.forEach(replica -> replica.awaitReady(READY));
        started.forEach(this::joinFront);
        return started;
    }

    /** Every instance of {@code service} behind its front, running or not, the platform's own first. */
    synchronized List<ServiceProcess> instances(String service) {
        return List.copyOf(instances.get(service));
    }

    /** Takes replicas out of their fronts and stops them (SIGTERM), e.g. to leave the platform as a test found it. */
    synchronized void retire(List<ServiceProcess> retired) {
        for (ServiceProcess replica : retired) {
            fronts.get(replica.name()).remove(replica.port());
            instances.get(replica.name()).remove(replica);
            replica.stop();
        }
    }

    /** Another instance of {@code service} with some settings changed (e.g. another database); stopped with the rest. */
    synchronized ServiceProcess startInstance(String service, Map<String, String> overrides) {
        ServiceProcess replica = launch(service, overrides);
        replica.awaitReady(READY);
        return replica;
    }

    private ServiceProcess launch(String service, Map<String, String> overrides) {
        Map<String, String> environment = new HashMap<>(environments.get(service));
        environment.putAll(overrides);
        int[] ports = Ports.freePorts(2);
        int port = ports[0];
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        if (service.equals("directory-service") && !overrides.containsKey("PKI_DIRECTORY_LDAP_PORT")) {
            // two instances on one machine cannot share the LDAP port as two pods would
            environment.put("PKI_DIRECTORY_LDAP_PORT", Integer.toString(ports[1]));
        }
        ServiceProcess replica = new ServiceProcess(root, service, port, identified(environment, service, port),
                logs.resolve("replica-" + port));
        replicas.add(replica);
        replica.start();
        return replica;
    }

    private void joinFront(ServiceProcess replica) {
        fronts.get(replica.name()).add(replica.port());
        instances.get(replica.name()).add(replica);
    }

    /**
     * Names the instance's Kafka consumers {@code <service>-<port>-<channel>}, so that a consumer group's members
     * tell which instance holds which partitions.
     */
    private static Map<String, String> identified(Map<String, String> environment, String service, int port) {
        Map<String, String> named = new HashMap<>(environment);
        named.put("MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_CLIENT_ID_PREFIX", service + "-" + port + "-");
        return named;
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
        fronts.values().forEach(ServiceFront::close);
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
