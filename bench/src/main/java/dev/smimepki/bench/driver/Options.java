package dev.smimepki.bench.driver;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The driver's command line. {@code --quick} shrinks every count and duration so the whole suite, JMH included, stays
 * under five minutes; the full run uses the figures of the issue where the machine allows.
 */
public record Options(boolean quick, Path out, Set<String> skip, int threads, URI ca, URI keystore, URI crypto,
        URI directory, String ldapHost, int ldapPort, long cryptoPid, Sizes sizes, String adminToken,
        String serviceToken, DirectoryDatabase directoryDb) {

    /** The parts of the suite {@code --skip} can leave out. */
    public static final Set<String> PARTS = Set.of("jmh", "issuance", "keygen", "pkcs12", "smime", "directory",
            "ldap", "events", "openssl", "slapd", "bulk");

    /**
     * Where directory-service keeps its tables, for the bulk load ({@code bench/run} finds it in
     * {@code .pki/platform.properties}); null when not given.
     */
    public record DirectoryDatabase(String jdbcUrl, String user, String password) {
        @Override
        public String toString() {
            return jdbcUrl + " as " + user;
        }
    }

    /**
     * Counts and durations of one run.
     *
     * @param issueCsr issuances from a CSR per issuing CA (these certificates also fill the directory)
     * @param keygenEc issuances with server key generation, EC P-256
     * @param keygenRsa the same for RSA-2048 (a prime search of ~100 ms each)
     * @param pkcs12 exports per profile
     * @param lookup duration of each directory look-up scenario (HTTP, LDAP, slapd)
     * @param smallMessage duration of each 10 KB S/MIME scenario
     * @param mediumMessage duration of each 1 MB S/MIME scenario
     * @param largeMessages operations per 100 MB S/MIME scenario
     * @param eventRate issuances per second during the event-latency scenario
     * @param eventDuration how long that rate is held
     * @param jmhWarmup JMH warm-up iterations x time
     * @param jmhIterations JMH measured iterations (each {@code jmhTime} long)
     * @param cap the longest an issuance, key-generation or export scenario runs, whatever its count
     * @param warmup how long the platform is warmed up (mixed load, not measured) before the first figure
     * @param figureWarmup how long a figure's own operation runs, not measured, right before the figure (issuance,
     *        server keygen EC, S/MIME 10 KB)
     * @param bulkDirectory certificates loaded straight into the directory (and slapd) for the look-ups of a large
     *        directory, 0 for none
     */
    public record Sizes(int issueCsr, int keygenEc, int keygenRsa, int pkcs12, Duration lookup,
            Duration smallMessage, Duration mediumMessage, int largeMessages, int eventRate, Duration eventDuration,
            int jmhWarmup, int jmhIterations, Duration jmhTime, int jmhForks, Duration cap, Duration warmup,
            Duration figureWarmup, int bulkDirectory) {
        /** Under 5 minutes with the platform's start on a slow day (340 s with the 40 s warm-up before). */
        static final Sizes QUICK = new Sizes(1000, 150, 12, 60, Duration.ofSeconds(4), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 1, 200, Duration.ofSeconds(3), 1, 2, Duration.ofMillis(700), 1,
                Duration.ofSeconds(8), Duration.ofSeconds(25), Duration.ZERO, 0);
        static final Sizes FULL = new Sizes(5000, 2000, 100, 500, Duration.ofSeconds(30), Duration.ofSeconds(20),
                Duration.ofSeconds(15), 3, 200, Duration.ofSeconds(30), 3, 5, Duration.ofSeconds(2), 2,
                Duration.ofMinutes(5), Duration.ofMinutes(3), Duration.ofSeconds(20), 1_000_000);
    }

    public static final String USAGE = String.join("\n",
            "usage: bench/run [--quick] [options]",
            "  --quick              every count and duration small: the whole suite in under 5 minutes",
            "  --out DIR            where results.json, results.md and results.png go (default target/bench-results)",
            "  --skip PART,...      leave out parts: " + String.join(",", new java.util.TreeSet<>(PARTS)),
            "  --threads N          concurrent callers for closed-loop scenarios (default 8)",
            "  --ca URL --keystore URL --crypto URL --directory URL   service base URLs (default localhost:8081-8084)",
            "  --ldap HOST:PORT     the directory's LDAP listener (default localhost:1389)",
            "  --crypto-pid PID     crypto-service's process, for its peak RSS (default: found by its port)",
            "  --issue-csr N --keygen-ec N --keygen-rsa N --pkcs12 N --event-rate N   override one count",
            "  --warmup SECONDS     mixed untimed load before the figures, so they measure a compiled platform"
                    + " (quick 25, full 180; 0: none)",
            "  --figure-warmup SECONDS   each issuance, EC keygen and 10 KB S/MIME figure's own operation, untimed,"
                    + " right before it is measured (quick 0, full 20)",
            "  --bulk-directory N   certificates COPYed into the directory's database and slapd for the look-ups of"
                    + " a large directory (quick 0, full 1000000; 0: none); deleted afterwards",
            "  --directory-db JDBC-URL   directory-service's database (bench/run: from .pki/platform.properties)",
            "  --limits-only        (bench/run) JMH and openssl only, no platform",
            "  --jfr                (bench/run) record a JFR profile of each service into OUT/jfr/",
            "environment: BENCH_ADMIN_TOKEN (pki-admin) and BENCH_SERVICE_TOKEN (pki-service) bearer tokens;"
                    + " PKI_DB_USER and PKI_DB_PASSWORD for --directory-db (default postgres, no password)");

    public static Options parse(List<String> args, Map<String, String> env) {
        boolean quick = false;
        Path out = Path.of("target", "bench-results");
        Set<String> skip = new LinkedHashSet<>();
        int threads = 8;
        URI ca = URI.create("http://localhost:8081");
        URI keystore = URI.create("http://localhost:8082");
        URI crypto = URI.create("http://localhost:8083");
        URI directory = URI.create("http://localhost:8084");
        String ldapHost = "localhost";
        int ldapPort = 1389;
        long cryptoPid = 0;
        Integer issueCsr = null;
        Integer keygenEc = null;
        Integer keygenRsa = null;
        Integer pkcs12 = null;
        Integer eventRate = null;
        Duration warmup = null;
        Duration figureWarmup = null;
        Integer bulkDirectory = null;
        String directoryDb = null;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--full" -> quick = false;
                case "--out" -> out = Path.of(value(arg, rest));
                case "--skip" -> {
                    for (String part : value(arg, rest).split(",")) {
                        String name = part.trim().toLowerCase(Locale.ROOT);
                        if (!PARTS.contains(name)) {
                            throw new IllegalArgumentException("--skip: unknown part '" + name + "'; parts: "
                                    + new java.util.TreeSet<>(PARTS));
                        }
                        skip.add(name);
                    }
                }
                case "--threads" -> threads = positive(arg, value(arg, rest));
                case "--ca" -> ca = url(arg, value(arg, rest));
                case "--keystore" -> keystore = url(arg, value(arg, rest));
                case "--crypto" -> crypto = url(arg, value(arg, rest));
                case "--directory" -> directory = url(arg, value(arg, rest));
                case "--ldap" -> {
                    String hostPort = value(arg, rest);
                    int colon = hostPort.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--ldap needs HOST:PORT, got '" + hostPort + "'");
                    }
                    ldapHost = hostPort.substring(0, colon);
                    ldapPort = positive(arg, hostPort.substring(colon + 1));
                }
                case "--crypto-pid" -> cryptoPid = positive(arg, value(arg, rest));
                case "--issue-csr" -> issueCsr = positive(arg, value(arg, rest));
                case "--keygen-ec" -> keygenEc = positive(arg, value(arg, rest));
                case "--keygen-rsa" -> keygenRsa = positive(arg, value(arg, rest));
                case "--pkcs12" -> pkcs12 = positive(arg, value(arg, rest));
                case "--event-rate" -> eventRate = positive(arg, value(arg, rest));
                case "--warmup" -> warmup = Duration.ofSeconds(nonNegative(arg, value(arg, rest)));
                case "--figure-warmup" -> figureWarmup = Duration.ofSeconds(nonNegative(arg, value(arg, rest)));
                case "--bulk-directory" -> bulkDirectory = nonNegative(arg, value(arg, rest));
                case "--directory-db" -> {
                    directoryDb = value(arg, rest);
                    if (!directoryDb.startsWith("jdbc:postgresql://")) {
                        throw new IllegalArgumentException("--directory-db needs a jdbc:postgresql:// URL, got '"
                                + directoryDb + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        Sizes base = quick ? Sizes.QUICK : Sizes.FULL;
        Sizes sizes = new Sizes(or(issueCsr, base.issueCsr()), or(keygenEc, base.keygenEc()),
                or(keygenRsa, base.keygenRsa()), or(pkcs12, base.pkcs12()), base.lookup(), base.smallMessage(),
                base.mediumMessage(), base.largeMessages(), or(eventRate, base.eventRate()), base.eventDuration(),
                base.jmhWarmup(), base.jmhIterations(), base.jmhTime(), base.jmhForks(), base.cap(),
                warmup == null ? base.warmup() : warmup,
                figureWarmup == null ? base.figureWarmup() : figureWarmup, or(bulkDirectory, base.bulkDirectory()));
        boolean needsPlatform = !skip.containsAll(Set.of("issuance", "keygen", "pkcs12", "smime", "directory",
                "ldap", "events", "bulk"));
        String admin = env.get("BENCH_ADMIN_TOKEN");
        String service = env.get("BENCH_SERVICE_TOKEN");
        if (needsPlatform && (blank(admin) || blank(service))) {
            throw new IllegalArgumentException("the platform scenarios need BENCH_ADMIN_TOKEN and BENCH_SERVICE_TOKEN"
                    + " (./pki token --role pki-admin / --role pki-service); bench/run sets them");
        }
        DirectoryDatabase database = directoryDb == null
                ? null
                : new DirectoryDatabase(directoryDb, env.getOrDefault("PKI_DB_USER", "postgres"),
                        env.getOrDefault("PKI_DB_PASSWORD", ""));
        return new Options(quick, out, Set.copyOf(skip), threads, ca, keystore, crypto, directory, ldapHost, ldapPort,
                cryptoPid, sizes, admin, service, database);
    }

    public boolean runs(String part) {
        return !skip.contains(part);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static int nonNegative(String option, String text) {
        return "0".equals(text.trim()) ? 0 : positive(option, text);
    }

    private static int positive(String option, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive whole number, got '" + text + "'");
    }

    private static URI url(String option, String text) {
        if (!text.startsWith("http://") && !text.startsWith("https://")) {
            throw new IllegalArgumentException(option + " needs an http(s) URL, got '" + text + "'");
        }
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    private static int or(Integer override, int base) {
        return override != null ? override : base;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
