package dev.smimepki.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;

import dev.smimepki.bench.compare.LdapSearcher;
import dev.smimepki.bench.compare.OpensslCms;
import dev.smimepki.bench.compare.Slapd;
import dev.smimepki.bench.platform.CpuAccounting;
import dev.smimepki.bench.platform.Csrs;
import dev.smimepki.bench.platform.DirectoryLoad;
import dev.smimepki.bench.platform.Messages;
import dev.smimepki.bench.platform.PlatformClient;
import dev.smimepki.bench.platform.PlatformClient.Issued;
import dev.smimepki.bench.platform.ProcessMemory;
import dev.smimepki.core.policy.KeyAlgorithm;

/** The scenarios against the running platform, and openssl and slapd doing the same work in the same run. */
public final class Scenarios {
    /** 10 KB, 1 MB, 100 MB (10^n bytes), the same for the platform, openssl and the JMH limit. */
    public static final long[] MESSAGE_SIZES = {10_000, 1_000_000, 100_000_000};
    /** From this size on, S/MIME figures are MB/s; below it messages/s. */
    public static final long LARGE_UNIT_FROM = 1_000_000;
    public static final List<String> SMIME_OPERATIONS = List.of("sign", "encrypt", "sign-and-encrypt", "decrypt",
            "verify");
    private static final String DOMAIN = "bench.example";
    /** The broker of ./pki up, only for its CPU time. */
    private static final int KAFKA_PORT = 9092;

    private final Options options;
    private final PlatformClient client;
    private final List<Figure> figures;
    private final Path work;
    private final String tag = Long.toString(System.currentTimeMillis(), 36);
    private final List<Issued> issued = Collections.synchronizedList(new ArrayList<>());
    private final CpuAccounting cpu;
    private Map<String, Double> cpuBefore;

    public Scenarios(Options options, List<Figure> figures) throws IOException {
        this.options = options;
        this.client = new PlatformClient(options);
        this.figures = figures;
        this.work = options.out().toAbsolutePath().resolve("work");
        Files.createDirectories(work);
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        ports.put("ca", options.ca().getPort());
        ports.put("keystore", options.keystore().getPort());
        ports.put("crypto", options.crypto().getPort());
        ports.put("directory", options.directory().getPort());
        ports.put("kafka", KAFKA_PORT);
        this.cpu = CpuAccounting.find(ports);
        this.cpuBefore = cpu.snapshot();
    }

    /** The CMS operation whose bare streaming limit bounds a platform operation (decrypt/verify: the same work). */
    public static String limitOf(String operation) {
        return switch (operation) {
            case "sign", "verify" -> "SIGN";
            case "encrypt", "decrypt" -> "ENCRYPT";
            default -> "SIGN_AND_ENCRYPT";
        };
    }

    public void run() throws Exception {
        boolean platform = List.of("issuance", "keygen", "pkcs12", "smime", "directory", "ldap", "events", "bulk")
                .stream()
                .anyMatch(options::runs);
        if (!platform) {
            if (options.runs("openssl")) {
                part("openssl", this::openssl);
            }
            return;
        }
        say("creating CAs (root EC P-256, issuing EC P-256 and RSA-2048), tag " + tag);
        UUID root = client.createCa("bench root " + tag, "CN=Bench Root " + tag + ",O=Bench",
                KeyAlgorithm.EC_P256.name(), null);
        UUID ecCa = client.createCa("bench EC " + tag, "CN=Bench EC " + tag + ",O=Bench", KeyAlgorithm.EC_P256.name(),
                root);
        UUID rsaCa = client.createCa("bench RSA " + tag, "CN=Bench RSA " + tag + ",O=Bench",
                KeyAlgorithm.RSA_2048.name(), root);
        Options.Sizes sizes = options.sizes();
        if (!sizes.warmup().isZero()) {
            part("warmup", () -> warmUp(ecCa, rsaCa, sizes.warmup()));
        }
        int n = options.runs("issuance") ? sizes.issueCsr() : 200;
        say("generating " + 2 * n + " EC P-256 CSRs");
        List<String> csrs = Csrs.ecP256(2 * n);
        issueFromCsr("issue-csr.EC_P256", "issuance from CSR, EC P-256 CA", ecCa, csrs.subList(0, n), "ec");
        issueFromCsr("issue-csr.RSA_2048", "issuance from CSR, RSA-2048 CA", rsaCa, csrs.subList(n, 2 * n), "rsa");
        List<String> keyIds = List.of();
        if (options.runs("keygen") || options.runs("pkcs12")) {
            keyIds = serverKeys("keygen.EC_P256", "issuance with server keygen, EC P-256", ecCa,
                    KeyAlgorithm.EC_P256.name(),
                    options.runs("keygen") ? sizes.keygenEc() : sizes.pkcs12());
            if (options.runs("keygen")) {
                serverKeys("keygen.RSA_2048", "issuance with server keygen, RSA-2048", rsaCa,
                        KeyAlgorithm.RSA_2048.name(),
                        sizes.keygenRsa());
            }
        }
        List<String> pkcs12Keys = keyIds;
        if (options.runs("pkcs12") && !keyIds.isEmpty()) {
            part("pkcs12", () -> {
                pkcs12(pkcs12Keys, "modern");
                pkcs12(pkcs12Keys, "legacy");
            });
        }
        if (options.runs("directory") || options.runs("ldap") || options.runs("slapd")) {
            part("directory", this::lookups);
        }
        if (options.runs("events")) {
            part("events", () -> {
                List<String> eventCsrs = Csrs.ecP256(Math.min(500, sizes.eventRate() * 2));
                mark();
                try (LdapSearcher ldap = new LdapSearcher(options.ldapHost(), options.ldapPort(), Slapd.BASE, 1)) {
                    add(EventLatency.run(client, ldap, ecCa, eventCsrs, sizes.eventRate(), sizes.eventDuration(),
                            tag));
                }
            });
        }
        if (options.runs("smime")) {
            part("smime", () -> smime(ecCa));
        }
        if (options.runs("openssl")) {
            part("openssl", this::openssl);
        }
        if (options.runs("bulk") && sizes.bulkDirectory() > 0) {
            part("bulk", this::bulkLookups); // last: a million more rows would weigh on the figures above
        }
    }

    /** A step that may fail without losing the figures of the others; the failure is a figure with one error. */
    private interface Part {
        void run() throws Exception;
    }

    private void part(String name, Part part) {
        try {
            part.run();
        } catch (Exception e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            say(name + " failed: " + message);
            figures.add(new Figure(name + ".failed", "platform", name + " (did not complete)", "ops/s", Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, 0, 1, 0, Double.NaN, message));
        }
    }

    /**
     * Mixed load of every kind the figures measure (issuance from CSR on both CAs, server keygen, look-ups over HTTP
     * and LDAP, S/MIME on 10 KB), for a fixed time before any figure: a freshly started JVM spends minutes compiling
     * (docs/benchmarks.md), and without this the first figures measured the JIT. Recorded as a figure of its own,
     * {@code warmup}, with no target, so every result says how warm the platform was.
     */
    private void warmUp(UUID ecCa, UUID rsaCa, Duration duration) throws Exception {
        say("warm-up: " + duration.toSeconds() + " s of mixed load, not measured");
        String alice = "warm-alice-" + tag + "@" + DOMAIN;
        String bob = "warm-bob-" + tag + "@" + DOMAIN;
        client.issueWithServerKey(ecCa, alice, KeyAlgorithm.EC_P256.name());
        client.issueWithServerKey(ecCa, bob, KeyAlgorithm.EC_P256.name());
        waitVisible(bob, Duration.ofMinutes(1));
        Path message = Messages.write(work.resolve("warmup.eml"), alice, bob, MESSAGE_SIZES[0]);
        Path signed = work.resolve("warmup-signed.eml");
        Path encrypted = work.resolve("warmup-encrypted.eml");
        untilAccepted(i -> client.smime("sign", Map.of("signer", alice), message, signed));
        client.smime("encrypt", Map.of(), message, encrypted);
        untilAccepted(i -> client.smime("decrypt", Map.of(), encrypted, null));
        List<String> csrs = Csrs.ecP256(200);
        List<String> seen = Collections.synchronizedList(new ArrayList<>(List.of(alice, bob)));
        try (LdapSearcher ldap = new LdapSearcher(options.ldapHost(), options.ldapPort(), Slapd.BASE,
                options.threads())) {
            mark();
            add(LoadRunner.run("warmup", "warm-up, mixed (not a figure)", options.threads(), duration,
                    Long.MAX_VALUE, 0, i -> {
                        String csr = csrs.get((int) (i % csrs.size()));
                        String email = "warm" + i + "-" + tag + "@" + DOMAIN;
                        switch ((int) (i % 10)) {
                            case 0, 1 -> seen.add(client.issueFromCsr(ecCa, email, csr).email());
                            case 2 -> seen.add(client.issueFromCsr(rsaCa, email, csr).email());
                            case 3 -> seen.add(client.issueWithServerKey(ecCa, email, KeyAlgorithm.EC_P256.name())
                                    .email());
                            case 4, 5 -> client.directoryStatus(random(seen));
                            case 6 -> {
                                try {
                                    ldap.search(random(seen));
                                } catch (IllegalStateException notYetThere) {
                                    // a certificate issued a moment ago may not be in the directory yet
                                }
                            }
                            case 7 -> client.smime("sign", Map.of("signer", alice), message, null);
                            case 8 -> client.smime(i % 20 < 10 ? "encrypt" : "decrypt", Map.of(),
                                    i % 20 < 10 ? message : encrypted, null);
                            default -> client.verify(signed);
                        }
                    }));
        }
    }

    /**
     * The figure's own operation on all callers, not measured, for {@code figureWarmup} right before the figure. The
     * mixed warm-up compiles every path a little; issuance measured straight after it ran at a third of the rate the
     * same platform reached once its issuance path was compiled (docs/benchmarks.md, "Each figure warmed on its own
     * operation").
     */
    private void warmFigure(String label, LoadRunner.Operation call) {
        Duration duration = options.sizes().figureWarmup();
        if (duration.isZero()) {
            return;
        }
        say("  warming up on " + label + " for " + duration.toSeconds() + " s, not measured");
        LoadRunner.run("figure-warmup", label, options.threads(), duration, Long.MAX_VALUE, 0, call);
    }

    private void issueFromCsr(String id, String label, UUID ca, List<String> csrs, String prefix)
            throws Exception {
        if (!options.runs("issuance") && !issued.isEmpty()) {
            return;
        }
        if (options.runs("issuance")) {
            List<String> warmCsrs = Csrs.ecP256(50);
            warmFigure(label, i -> client.issueFromCsr(ca, "w" + prefix + i + "-" + tag + "@" + DOMAIN,
                    warmCsrs.get((int) (i % warmCsrs.size()))));
        }
        say(label + ": " + csrs.size());
        mark();
        Figure figure = LoadRunner.run(id, label, options.threads(), options.sizes().cap(), csrs.size(), 0,
                i -> issued.add(client.issueFromCsr(ca, prefix + i + "-" + tag + "@" + DOMAIN, csrs.get((int) i))));
        if (options.runs("issuance")) {
            add(figure);
        }
    }

    private List<String> serverKeys(String id, String label, UUID ca, String keyAlgorithm, int count) {
        if (options.runs("keygen") && keyAlgorithm.equals(KeyAlgorithm.EC_P256.name())) {
            warmFigure(label, i -> client.issueWithServerKey(ca, "wk" + i + "-" + tag + "@" + DOMAIN, keyAlgorithm));
        }
        say(label + ": " + count);
        List<String> keyIds = Collections.synchronizedList(new ArrayList<>());
        mark();
        Figure figure = LoadRunner.run(id, label, options.threads(), options.sizes().cap(), count, 0, i -> {
            Issued result = client.issueWithServerKey(ca, "k" + keyAlgorithm.charAt(0) + i + "-" + tag + "@"
                    + DOMAIN, keyAlgorithm);
            if (result.keyId() == null) {
                throw new IllegalStateException("no keyId in the answer");
            }
            issued.add(result);
            keyIds.add(result.keyId());
        });
        if (options.runs("keygen")) {
            add(figure);
        }
        return List.copyOf(keyIds);
    }

    /**
     * Exports cycle over the first keys made; keystore-service binds a certificate to its key when the issued event
     * arrives, so each of those keys is first awaited (a key without its certificate answers 409).
     */
    private void pkcs12(List<String> keyIds, String profile) throws Exception {
        List<String> keys = keyIds.subList(0, Math.min(20, keyIds.size()));
        for (String keyId : keys) {
            untilAccepted(i -> client.exportPkcs12(keyId, profile, "bench-" + tag + "-pw"));
        }
        int count = options.sizes().pkcs12();
        say("PKCS#12 export " + profile + ": " + count);
        mark();
        add(LoadRunner.run("pkcs12." + profile, "PKCS#12 export, " + profile, options.threads(),
                options.sizes().cap().dividedBy(2), count, 0,
                i -> client.exportPkcs12(keys.get((int) (i % keys.size())), profile, "bench-" + tag + "-pw")));
    }

    private void lookups() throws Exception {
        List<Issued> all = List.copyOf(issued);
        if (all.isEmpty()) {
            return;
        }
        String last = all.get(all.size() - 1).email();
        waitVisible(last, Duration.ofMinutes(2));
        String stored = all.size() + " certificates issued in this run";
        Duration duration = options.sizes().lookup();
        if (options.runs("directory")) {
            // the first look-up of an address reads PostgreSQL and parses its certificates; the directory keeps
            // the mailboxes looked up last (pki.directory.lookup-cache-mailboxes), so the random look-ups below,
            // over HTTP and LDAP alike, are of cached mailboxes, as slapd's are of its memory-mapped database
            say("directory look-up over HTTP, the first of each of the " + all.size() + " addresses");
            mark();
            add(LoadRunner.run("directory.http-first", "directory look-up, HTTP, first of each address",
                    options.threads(), options.sizes().cap(), all.size(), 0,
                    i -> lookUp(all.get((int) i).email())).withNote(stored));
            say("directory look-up over HTTP, " + duration.toSeconds() + " s");
            mark();
            add(LoadRunner.run("directory.http", "directory look-up, HTTP", options.threads(), duration,
                    Long.MAX_VALUE, 0, i -> lookUp(random(all).email())).withNote(stored));
        }
        if (options.runs("ldap")) {
            say("directory look-up over LDAP, " + duration.toSeconds() + " s");
            try (LdapSearcher ldap = new LdapSearcher(options.ldapHost(), options.ldapPort(), Slapd.BASE,
                    options.threads())) {
                mark();
                add(LoadRunner.run("ldap.platform", "directory look-up, LDAP (mail=...)", options.threads(),
                        duration, Long.MAX_VALUE, 0, i -> ldap.search(random(all).email())).withNote(stored));
            }
        }
        if (options.runs("slapd")) {
            if (!Slapd.installed()) {
                say("slapd is not installed (apt-get install slapd): skipped");
                return;
            }
            List<Slapd.Entry> entries = all.stream().map(c -> new Slapd.Entry(c.email(), der(c.certificatePem())))
                    .toList();
            say("OpenLDAP slapd (back-mdb) with the same " + entries.size() + " certificates, " + duration.toSeconds()
                    + " s");
            try (Slapd slapd = Slapd.start(options.out().toAbsolutePath().resolve("slapd"), entries);
                    LdapSearcher ldap = new LdapSearcher("127.0.0.1", slapd.port(), Slapd.BASE, options.threads())) {
                mark();
                Figure figure = LoadRunner.run("ldap.slapd", "OpenLDAP slapd back-mdb (mail=...)", options.threads(),
                        duration, Long.MAX_VALUE, 0, i -> ldap.search(random(all).email()));
                add(figure.from("slapd").withNote(stored));
            }
        }
    }

    /**
     * Look-ups of random addresses in a directory of {@code bulkDirectory} certificates loaded straight into its
     * database, over HTTP and LDAP, and from slapd loaded with the same certificates: the directory's cache holds a
     * few thousand mailboxes, so nearly every look-up reads PostgreSQL, as a large directory's would. The loaded
     * certificates are deleted afterwards.
     */
    private void bulkLookups() throws Exception {
        Options.DirectoryDatabase database = options.directoryDb();
        if (database == null) {
            say("bulk: no --directory-db (bench/run passes the platform's): skipped");
            return;
        }
        int count = options.sizes().bulkDirectory();
        Path ldif = work.resolve("bulk.ldif");
        say(String.format(Locale.ROOT, "bulk: %,d certificates into the directory's database (%s) and an LDIF", count,
                database));
        Instant start = Instant.now();
        try (DirectoryLoad load = DirectoryLoad.load(database.jdbcUrl(), database.user(), database.password(), count,
                tag, ldif, Scenarios::say)) {
            say("bulk: loaded in " + Duration.between(start, Instant.now()).toSeconds() + " s; deleted at the end");
            // the directory's backfill runs every 30 s and derives a few thousand a second here
            load.awaitLookupFacts(Duration.ofSeconds(120 + count / 500), Scenarios::say)
                    .ifPresent(took -> say(String.format(Locale.ROOT, "bulk: the directory derived their look-up facts"
                            + " in %d s (its backfill runs every 30 s)", took.toSeconds())));
            String stored = String.format(Locale.ROOT, "%,d certificates stored (bulk-loaded)", count);
            Duration duration = options.sizes().lookup();
            if (client.directoryStatus(load.email(count - 1)) != 200) {
                throw new IllegalStateException("the directory does not show " + load.email(count - 1));
            }
            if (options.runs("directory")) {
                say("bulk: directory look-up over HTTP, " + duration.toSeconds() + " s");
                mark();
                add(LoadRunner.run("directory.http-bulk", "directory look-up, HTTP, large directory",
                        options.threads(), duration, Long.MAX_VALUE, 0,
                        i -> lookUp(load.email(randomBelow(count)))).withNote(stored));
            }
            if (options.runs("ldap")) {
                say("bulk: directory look-up over LDAP, " + duration.toSeconds() + " s");
                try (LdapSearcher ldap = new LdapSearcher(options.ldapHost(), options.ldapPort(), Slapd.BASE,
                        options.threads())) {
                    mark();
                    add(LoadRunner.run("ldap.platform-bulk", "directory look-up, LDAP (mail=...), large directory",
                            options.threads(), duration, Long.MAX_VALUE, 0,
                            i -> ldap.search(load.email(randomBelow(count)))).withNote(stored));
                }
            }
            if (options.runs("slapd") && Slapd.installed()) {
                say("bulk: slapd (back-mdb) loaded with the same certificates, " + duration.toSeconds() + " s");
                Instant slapadd = Instant.now();
                Path slapdDir = options.out().toAbsolutePath().resolve("slapd-bulk");
                try (Slapd slapd = Slapd.start(slapdDir, ldif);
                        LdapSearcher ldap = new LdapSearcher("127.0.0.1", slapd.port(), Slapd.BASE,
                                options.threads())) {
                    say("bulk: slapadd took " + Duration.between(slapadd, Instant.now()).toSeconds() + " s");
                    mark();
                    add(LoadRunner.run("ldap.slapd-bulk", "OpenLDAP slapd back-mdb (mail=...), large directory",
                            options.threads(), duration, Long.MAX_VALUE, 0,
                            i -> ldap.search(load.email(randomBelow(count)))).from("slapd").withNote(stored));
                } finally {
                    Slapd.delete(slapdDir); // a database of gigabytes, once measured
                }
            }
        } finally {
            Files.deleteIfExists(ldif);
        }
    }

    /** One look-up over HTTP, an error unless it answers 200 (the address has certificates). */
    private void lookUp(String email) throws IOException {
        int status = client.directoryStatus(email);
        if (status != 200) {
            throw new IllegalStateException("HTTP " + status);
        }
    }

    private static int randomBelow(int bound) {
        return ThreadLocalRandom.current().nextInt(bound);
    }

    private void smime(UUID ca) throws Exception {
        String alice = "alice-" + tag + "@" + DOMAIN;
        String bob = "bob-" + tag + "@" + DOMAIN;
        say("S/MIME: server-keygen certificates for " + alice + " and " + bob);
        client.issueWithServerKey(ca, alice, KeyAlgorithm.EC_P256.name());
        client.issueWithServerKey(ca, bob, KeyAlgorithm.EC_P256.name());
        waitVisible(alice, Duration.ofMinutes(1));
        waitVisible(bob, Duration.ofMinutes(1));
        long pid = options.cryptoPid() > 0
                ? options.cryptoPid()
                : ProcessMemory.pidListeningOn(options.crypto().getPort()).orElse(0);
        if (pid == 0) {
            say("crypto-service's process not found: no peak RSS (pass --crypto-pid)");
        }
        for (long size : MESSAGE_SIZES) {
            Path message = Messages.write(work.resolve("message-" + size + ".eml"), alice, bob, size);
            Path signed = work.resolve("signed-" + size + ".eml");
            Path encrypted = work.resolve("encrypted-" + size + ".eml");
            // keystore-service binds each certificate to its key when the issued event arrives: wait for both keys
            untilAccepted(i -> client.smime("sign", Map.of("signer", alice), message, signed));
            client.smime("encrypt", Map.of(), message, encrypted);
            untilAccepted(i -> client.smime("decrypt", Map.of(), encrypted, null));
            for (String op : SMIME_OPERATIONS) {
                LoadRunner.Operation call = switch (op) {
                    case "sign" -> i -> client.smime("sign", Map.of("signer", alice), message, null);
                    case "encrypt" -> i -> client.smime("encrypt", Map.of(), message, null);
                    case "sign-and-encrypt" -> i -> client.smime("sign-and-encrypt", Map.of("signer", alice),
                            message, null);
                    case "decrypt" -> i -> client.smime("decrypt", Map.of(), encrypted, null);
                    default -> i -> {
                        JsonNode report = client.verify(signed);
                        if (!report.path("valid").asBoolean()) {
                            throw new IllegalStateException("verify said not valid: " + report);
                        }
                    };
                };
                String label = "S/MIME " + op + (op.equals("verify") && size == MESSAGE_SIZES[0] ? " (+harvest)" : "")
                        + " " + Limits.Sizes.label(size);
                if (size == MESSAGE_SIZES[0]) {
                    warmFigure(label, call);
                }
                boolean reset = pid > 0 && ProcessMemory.resetPeak(pid);
                say(label);
                Figure figure = measure("smime." + op + "." + size, label, size, call);
                if (pid > 0) {
                    figure = figure.withPeakRss(ProcessMemory.peakRssMb(pid));
                    if (!reset) {
                        figure = figure.withNote("peak RSS since the service started (clear_refs not permitted)");
                    }
                }
                add(figure);
            }
        }
    }

    private void openssl() throws Exception {
        say("openssl cms on the same messages (" + OpensslCms.version() + ")");
        OpensslCms openssl = OpensslCms.prepare(work.resolve("openssl"));
        for (long size : MESSAGE_SIZES) {
            Path message = work.resolve("message-" + size + ".eml");
            if (!Files.exists(message)) {
                Messages.write(message, "alice@" + DOMAIN, "bob@" + DOMAIN, size);
            }
            Path signed = work.resolve("openssl-signed-" + size + ".eml");
            Path encrypted = work.resolve("openssl-encrypted-" + size + ".eml");
            openssl.sign(message, signed);
            openssl.encrypt(message, encrypted);
            Path sink = Path.of("/dev/null");
            for (String op : SMIME_OPERATIONS) {
                LoadRunner.Operation call = switch (op) {
                    case "sign" -> i -> openssl.sign(message, sink);
                    case "encrypt" -> i -> openssl.encrypt(message, sink);
                    case "sign-and-encrypt" -> i -> openssl.signAndEncrypt(message, sink);
                    case "decrypt" -> i -> openssl.decrypt(encrypted, sink);
                    default -> i -> openssl.verify(signed, sink);
                };
                String label = "openssl cms " + (op.equals("sign-and-encrypt") ? "sign | encrypt" : op) + " "
                        + Limits.Sizes.label(size);
                say(label);
                Figure f = measure("openssl." + op + "." + size, label, size, call);
                add(f.from("openssl"));
            }
        }
    }

    /** Small and medium messages: all callers for a fixed time; 100 MB: one caller, a fixed count. */
    private Figure measure(String id, String label, long size, LoadRunner.Operation call) {
        Options.Sizes sizes = options.sizes();
        long bytes = size >= LARGE_UNIT_FROM ? size : 0;
        mark();
        if (size >= 100_000_000) {
            return LoadRunner.run(id, label, 1, Duration.ofMinutes(30), sizes.largeMessages(), bytes, call);
        }
        Duration duration = size >= LARGE_UNIT_FROM ? sizes.mediumMessage() : sizes.smallMessage();
        return LoadRunner.run(id, label, options.threads(), duration, Long.MAX_VALUE, bytes, call);
    }

    /** Retries a call refused while the platform's events catch up (409/422), for at most two minutes. */
    private static void untilAccepted(LoadRunner.Operation call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                call.run(0);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private void waitVisible(String email, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!client.visible(email)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(email + " did not reach the directory within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static <T> T random(List<T> list) {
        return list.get(ThreadLocalRandom.current().nextInt(list.size()));
    }

    static byte[] der(String pem) {
        int begin = pem.indexOf("-----BEGIN CERTIFICATE-----");
        int end = pem.indexOf("-----END CERTIFICATE-----", begin);
        if (begin < 0 || end < 0) {
            throw new IllegalArgumentException("no PEM certificate");
        }
        String body = pem.substring(begin + "-----BEGIN CERTIFICATE-----".length(), end);
        return Base64.getMimeDecoder().decode(body);
    }

    /** Records a figure with the CPU each part spent since the previous figure (setup between them included). */
    private void add(Figure figure) {
        Map<String, Double> now = cpu.snapshot();
        Figure withCpu = figure.withCpu(CpuAccounting.perOperation(cpuBefore, now, figure.ops()));
        figures.add(withCpu);
        BenchMain.print(withCpu);
        cpuBefore = cpu.snapshot();
    }

    /** Starts the CPU count of the next figure here, leaving out the setup before it. */
    private void mark() {
        cpuBefore = cpu.snapshot();
    }

    static void say(String text) {
        System.out.println("bench: " + text);
    }
}
