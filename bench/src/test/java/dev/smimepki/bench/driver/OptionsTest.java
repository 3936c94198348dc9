package dev.smimepki.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final Map<String, String> TOKENS = Map.of("BENCH_ADMIN_TOKEN", "a", "BENCH_SERVICE_TOKEN", "s");

    @Test
    void quickShrinksTheRunAndDefaultsPointAtThePkiUpPorts() {
        Options quick = Options.parse(List.of("--quick"), TOKENS);
        Options full = Options.parse(List.of(), TOKENS);
        assertTrue(quick.quick());
        assertFalse(full.quick());
        assertTrue(quick.sizes().issueCsr() < full.sizes().issueCsr());
        assertTrue(quick.sizes().lookup().compareTo(full.sizes().lookup()) < 0);
        assertTrue(quick.sizes().warmup().compareTo(java.time.Duration.ZERO) > 0,
                "quick mode warms the platform up too");
        assertTrue(quick.sizes().warmup().compareTo(full.sizes().warmup()) < 0);
        assertTrue(quick.sizes().figureWarmup().isZero(), "quick mode has no time for a warm-up per figure");
        assertEquals(java.time.Duration.ofSeconds(20), full.sizes().figureWarmup());
        assertTrue(quick.sizes().cap().compareTo(full.sizes().cap()) < 0);
        assertEquals(URI.create("http://localhost:8083"), quick.crypto());
        assertEquals(1389, quick.ldapPort());
        assertEquals(Path.of("target", "bench-results"), quick.out());
        assertEquals("a", quick.adminToken());
        assertEquals("s", quick.serviceToken());
    }

    @Test
    void overridesOneCountAndTheEndpoints() {
        Options options = Options.parse(List.of("--quick", "--issue-csr", "42", "--threads", "3", "--ldap",
                "ldap.example:2389", "--crypto", "http://10.0.0.5:9083/", "--skip", "slapd,OpenSSL", "--out",
                "/tmp/x"), TOKENS);
        assertEquals(42, options.sizes().issueCsr());
        assertEquals(3, options.threads());
        assertEquals("ldap.example", options.ldapHost());
        assertEquals(2389, options.ldapPort());
        assertEquals(URI.create("http://10.0.0.5:9083"), options.crypto());
        assertFalse(options.runs("slapd"));
        assertFalse(options.runs("openssl"));
        assertTrue(options.runs("ldap"));
        assertEquals(Path.of("/tmp/x"), options.out());
        assertTrue(Options.parse(List.of("--quick", "--warmup", "0"), TOKENS).sizes().warmup().isZero());
        assertEquals(java.time.Duration.ofSeconds(90),
                Options.parse(List.of("--warmup", "90"), TOKENS).sizes().warmup());
        assertEquals(java.time.Duration.ofSeconds(5),
                Options.parse(List.of("--quick", "--figure-warmup", "5"), TOKENS).sizes().figureWarmup());
        assertTrue(Options.parse(List.of("--figure-warmup", "0"), TOKENS).sizes().figureWarmup().isZero());
    }

    @Test
    void refusesWhatItCannotUseNamingTheArgument() {
        assertEquals("unknown argument '--fast'",
                assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--fast"), TOKENS))
                        .getMessage().lines().findFirst().orElseThrow());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--threads", "0"), TOKENS)).getMessage().contains("--threads"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--threads"), TOKENS)).getMessage().contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--skip", "everything"), TOKENS)).getMessage().contains("everything"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--ca", "localhost:8081"), TOKENS)).getMessage().contains("URL"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--ldap", "nohost"), TOKENS)).getMessage().contains("HOST:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--warmup", "-5"), TOKENS)).getMessage().contains("--warmup"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--figure-warmup", "-1"), TOKENS)).getMessage()
                .contains("--figure-warmup"));
    }

    @Test
    void platformScenariosNeedTokensLimitsAloneDoNot() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--quick"), Map.of()))
                .getMessage().contains("BENCH_ADMIN_TOKEN"));
        Options limits = Options.parse(
                List.of("--skip", "issuance,keygen,pkcs12,smime,directory,ldap,events,slapd,bulk"), Map.of());
        assertTrue(limits.runs("jmh"));
        assertTrue(limits.runs("openssl"));
    }

    @Test
    void aMillionCertificatesInTheFullRunNoneInTheQuickOneAndTheDatabaseAsGiven() {
        assertEquals(1_000_000, Options.parse(List.of(), TOKENS).sizes().bulkDirectory());
        assertEquals(0, Options.parse(List.of("--quick"), TOKENS).sizes().bulkDirectory());
        assertEquals(20_000, Options.parse(List.of("--quick", "--bulk-directory", "20000"), TOKENS).sizes()
                .bulkDirectory());
        assertEquals(0, Options.parse(List.of("--bulk-directory", "0"), TOKENS).sizes().bulkDirectory());
        assertEquals(null, Options.parse(List.of(), TOKENS).directoryDb());

        Map<String, String> env = new java.util.HashMap<>(TOKENS);
        env.put("PKI_DB_USER", "pki");
        env.put("PKI_DB_PASSWORD", "secret");
        Options.DirectoryDatabase database = Options.parse(List.of("--directory-db",
                "jdbc:postgresql://127.0.0.1:5432/pki_directory"), env).directoryDb();
        assertEquals(new Options.DirectoryDatabase("jdbc:postgresql://127.0.0.1:5432/pki_directory", "pki", "secret"),
                database);
        assertTrue(!database.toString().contains("secret"), "the password is never printed");
        assertEquals("postgres", Options.parse(List.of("--directory-db", "jdbc:postgresql://h:1/d"), TOKENS)
                .directoryDb().user());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--directory-db", "postgres://h/d"), TOKENS)).getMessage()
                .contains("jdbc:postgresql://"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--bulk-directory", "-1"), TOKENS)).getMessage()
                .contains("--bulk-directory"));
    }
}
