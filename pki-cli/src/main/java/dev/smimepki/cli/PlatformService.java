package dev.smimepki.cli;

import java.net.URI;
import java.nio.file.Path;

/** The four services {@code pki up} runs, with the ports and databases of the platform contract. */
enum PlatformService {

    CA("ca-service", 8081, "pki_ca"),
    KEYSTORE("keystore-service", 8082, "pki_keystore"),
    CRYPTO("crypto-service", 8083,
            "pki_crypto"),
    DIRECTORY("directory-service", 8084, "pki_directory");

    /** directory-service's LDAP port. */
    static final int LDAP_PORT = 1389;

    private final String id;
    private final int port;
    private final String database;

    PlatformService(String id, int port, String database) {
        this.id = id;
        this.port = port;
        this.database = database;
    }

    /** The service name: module directory, {@code quarkus.application.name}, pid and log file name. */
    String id() {
        return id;
    }

    int port() {
        return port;
    }

    String database() {
        return database;
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    URI readinessUri() {
        return URI.create(baseUrl() + "/q/health/ready");
    }

    /** The Quarkus fast-jar the build leaves in the service's module. */
    Path jar(Path root) {
        return root.resolve(id).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
