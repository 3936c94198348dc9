package dev.smimepki.infra.test;

import java.lang.System.Logger.Level;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.smimepki.infra.LocalPostgres;

/**
 * A fresh PostgreSQL database for every Quarkus application a test JVM starts; sets
 * {@code quarkus.datasource.jdbc.url}, {@code .username} and {@code .password}.
 *
 * <p>
 * The server is the one {@link LocalPostgres#startOrConnect} finds (configured, the machine's, else one embedded
 * server per JVM with its data in {@code target/pki-test-postgres}). The database is named
 * {@code test_<service>_<random>}, with {@code service} from the init argument {@value #SERVICE_ARG} (default
 * {@code app}), and dropped again at stop. Use with
 * {@code @QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false,
 * initArgs = @ResourceArg(name = "service", value = "ca"))}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument: short service name, part of the database name ([a-z0-9_]). */
    public static final String SERVICE_ARG = "service";

    static final String URL_PROPERTY = "pki.test.postgres.url";
    static final String USER_PROPERTY = "pki.test.postgres.user";
    static final String PASSWORD_PROPERTY = "pki.test.postgres.password";

    private static final System.Logger LOG = System.getLogger(PostgresTestResource.class.getName());
    private static LocalPostgres server;

    private String service = "app";
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        String configured = initArgs.get(SERVICE_ARG);
        if (configured != null && !configured.isBlank()) {
            service = configured.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        }
    }

    @Override
    public Map<String, String> start() {
        LocalPostgres postgres = server();
        database = "test_" + service + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        postgres.createDatabaseIfMissing(database);
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password());
    }

    @Override
    public void stop() {
        if (database != null) {
            try {
                server().dropDatabase(database);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not drop test database " + database, e);
            }
            database = null;
        }
    }

    /** The database created by the last {@link #start()}, for tests of this class. */
    String database() {
        return database;
    }

    /** This JVM's server, found or started on first use. */
    public static LocalPostgres server() {
        synchronized (TestInfrastructure.JVM_WIDE_LOCK) {
            if (server == null) {
                String url = System.getProperty(URL_PROPERTY);
                if (url != null) {
                    // found or started through another class loader of this JVM
                    server = LocalPostgres.connect(url, System.getProperty(USER_PROPERTY),
                            System.getProperty(PASSWORD_PROPERTY));
                } else {
                    server = LocalPostgres.startOrConnect(TestInfrastructure.buildDirectory("pki-test-postgres"));
                    // zonky registers its own shutdown hook that stops an embedded server
                    System.setProperty(URL_PROPERTY, server.jdbcUrl("postgres"));
                    System.setProperty(USER_PROPERTY, server.username());
                    System.setProperty(PASSWORD_PROPERTY, server.password());
                }
            }
            return server;
        }
    }
}
