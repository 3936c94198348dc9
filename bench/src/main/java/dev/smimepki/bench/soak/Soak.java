package dev.smimepki.bench.soak;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.smimepki.bench.compare.LdapSearcher;
import dev.smimepki.bench.compare.Slapd;
import dev.smimepki.bench.driver.Latencies;
import dev.smimepki.bench.driver.Machine;
import dev.smimepki.bench.driver.Options;
import dev.smimepki.bench.platform.Csrs;
import dev.smimepki.bench.platform.Messages;
import dev.smimepki.bench.platform.PlatformClient;
import dev.smimepki.bench.platform.PlatformClient.Issued;
import dev.smimepki.bench.platform.ProcessMemory;
import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * The soak: the platform under a sustained mixed load (every operation of {@link SoakSchedule#MIX}, open loop, at
 * its own fixed rate) for a warm-up and then the measured minutes, every answer checked (status and a minimal piece
 * of content), per-minute throughput, errors and p99, and the memory of every service sampled every
 * {@link #SAMPLE_EVERY}. Loopback only: it talks to the URLs of {@link Options}.
 */
public final class Soak {
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    /** Load goes on this long after the measurement, so the closing forced GC sees the same load as the opening. */
    static final Duration TAIL = Duration.ofSeconds(15);
    /** The longest the soak waits for calls still running when the schedule ends. */
    static final Duration DRAIN = Duration.ofMinutes(2);
    private static final String DOMAIN = "soak.example";
    /** Certificates looked up (HTTP and LDAP) and asked about over OCSP; never revoked. */
    private static final int SEEDS = 50;
    private static final int EXPORT_KEYS = 5;
    private static final String MARKER = "The quick brown fox";
    private static final List<String> SERVICES = List.of("ca", "keystore", "crypto", "directory");

    /** One call of an operation; throws when the answer is not what it should be. */
    @FunctionalInterface
    interface Call {
        void run(long index) throws Exception;
    }

    /** A memory sample of one service. */
    public record Sample(double atSeconds, String service, double rssMb, double heapUsedMb, double heapAfterGcMb) {
    }

    /** Per-operation and per-minute figures of the measured window. */
    public record OperationFigures(String operation, double perSecond, double benchPerSecond, String pricedLike,
            long due, long answered, long errors, double p50Ms, double p99Ms, double maxMs, String firstError) {
    }

    public record MinuteFigures(int minute, long due, long answered, long errors, double perSecond, double p99Ms,
            Map<String, Double> rssMb, Map<String, Double> heapAfterGcMb, String loadAverage) {
    }

    /** Everything the report shows and the verdict judged. */
    public record Result(SoakSchedule schedule, String tag, double loadSeconds, List<OperationFigures> operations,
            List<MinuteFigures> minutes, List<SoakVerdict.Memory> memory, List<Sample> samples,
            List<String> failures, long errorsOutsideWindow) {
        public boolean held() {
            return failures.isEmpty();
        }

        public long answered() {
            return operations.stream().mapToLong(OperationFigures::answered).sum();
        }

        public long errors() {
            return operations.stream().mapToLong(OperationFigures::errors).sum();
        }
    }

    /** What one operation recorded: latencies and answers by measured minute, errors anywhere. */
    private static final class Recorder {
        final SoakSchedule.Rate rate;
        final Latencies[] latencies;
        final AtomicLong[] answered;
        final AtomicLong[] minuteErrors;
        final AtomicLong errors = new AtomicLong();
        final AtomicLong errorsOutside = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();

        Recorder(SoakSchedule.Rate rate, int minutes) {
            this.rate = rate;
            this.latencies = new Latencies[minutes];
            this.answered = new AtomicLong[minutes];
            this.minuteErrors = new AtomicLong[minutes];
            for (int m = 0; m < minutes; m++) {
                latencies[m] = new Latencies();
                answered[m] = new AtomicLong();
                minuteErrors[m] = new AtomicLong();
            }
        }
    }

    private final Options options;
    private final SoakSchedule schedule;
    private final PlatformClient client;
    private final String tag = Long.toString(System.currentTimeMillis(), 36);
    private final Path work;
    private final List<Issued> seeds = new ArrayList<>();
    private final List<String> ocspSerials = Collections.synchronizedList(new ArrayList<>());
    private final Queue<Issued> revocable = new ConcurrentLinkedQueue<>();
    private final List<String> exportKeys = new ArrayList<>();
    private final List<ServiceMemory> services = new ArrayList<>();
    private UUID ca;
    private X509Certificate caCertificate;
    private List<String> csrs;
    private Path message;
    private Path signed;
    private Path encrypted;
    private String alice;
    private String bob;

    public Soak(Options options, SoakSchedule schedule) throws IOException {
        this.options = options;
        this.schedule = schedule;
        this.client = new PlatformClient(options);
        this.work = options.out().toAbsolutePath().resolve("soak-work");
        Files.createDirectories(work);
    }

    /** Prepares, runs the schedule and judges it. */
    public Result run() throws Exception {
        BouncyCastle.ensureRegistered();
        prepare();
        try (LdapSearcher ldap = new LdapSearcher(options.ldapHost(), options.ldapPort(), Slapd.BASE, 8)) {
            return load(calls(ldap));
        }
    }

    private void prepare() throws Exception {
        Map<String, URI> bases = new LinkedHashMap<>();
        bases.put("ca", options.ca());
        bases.put("keystore", options.keystore());
        bases.put("crypto", options.crypto());
        bases.put("directory", options.directory());
        for (String name : SERVICES) {
            URI base = bases.get(name);
            OptionalLong pid = ProcessMemory.pidListeningOn(base.getPort());
            if (pid.isEmpty()) {
                say(name + "-service: no process found on port " + base.getPort() + ": its RSS is not measured");
            }
            services.add(new ServiceMemory(name, base, pid.orElse(0), client));
        }
        say("creating a root and an EC P-256 issuing CA, tag " + tag);
        UUID root = client.createCa("soak root " + tag, "CN=Soak Root " + tag + ",O=Soak",
                KeyAlgorithm.EC_P256.name(), null);
        ca = client.createCa("soak EC " + tag, "CN=Soak EC " + tag + ",O=Soak", KeyAlgorithm.EC_P256.name(), root);
        double seconds = (schedule.warmup().plus(schedule.measured()).plus(TAIL)).toSeconds();
        SoakSchedule.Rate issuance = rate("issue-csr");
        int count = (int) Math.ceil(issuance.perSecond() * seconds) + 1 + SEEDS + 2 * (int) rate("revoke").perSecond()
                + 20;
        say("generating " + count + " EC P-256 CSRs");
        csrs = Csrs.ecP256(count);
        say("issuing " + SEEDS + " certificates to look up, 20 to revoke, " + EXPORT_KEYS
                + " server keys to export, alice and bob for S/MIME");
        for (int i = 0; i < SEEDS; i++) {
            Issued seed = client.issueFromCsr(ca, "seed" + i + "-" + tag + "@" + DOMAIN, csrs.get(csrs.size() - 1 - i));
            seeds.add(seed);
            ocspSerials.add(seed.serial());
        }
        for (int i = 0; i < 20; i++) {
            revocable.add(client.issueFromCsr(ca, "r" + i + "-" + tag + "@" + DOMAIN,
                    csrs.get(csrs.size() - 1 - SEEDS - i)));
        }
        caCertificate = firstCertificate(seeds.get(0).chainPem());
        for (int i = 0; i < EXPORT_KEYS; i++) {
            exportKeys.add(client.issueWithServerKey(ca, "x" + i + "-" + tag + "@" + DOMAIN,
                    KeyAlgorithm.EC_P256.name()).keyId());
        }
        alice = "alice-" + tag + "@" + DOMAIN;
        bob = "bob-" + tag + "@" + DOMAIN;
        client.issueWithServerKey(ca, alice, KeyAlgorithm.EC_P256.name());
        client.issueWithServerKey(ca, bob, KeyAlgorithm.EC_P256.name());
        waitVisible(seeds.get(SEEDS - 1).email());
        waitVisible(alice);
        waitVisible(bob);
        // keystore-service binds each certificate to its key when the issued event arrives: wait for every key
        for (String keyId : exportKeys) {
            untilAccepted(() -> client.exportPkcs12Bytes(keyId, "legacy", "soak-" + tag));
        }
        message = Messages.write(work.resolve("message-10KB.eml"), alice, bob, 10_000);
        signed = work.resolve("signed-10KB.eml");
        encrypted = work.resolve("encrypted-10KB.eml");
        untilAccepted(() -> client.smime("sign", Map.of("signer", alice), message, signed));
        // crypto-service finds the recipients' certificates once it has seen them: wait for that too
        untilAccepted(() -> client.smime("encrypt", Map.of(), message, encrypted));
        untilAccepted(() -> client.smime("decrypt", Map.of(), encrypted, null));
    }

    private Map<String, Call> calls(LdapSearcher ldap) {
        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("issue-csr", i -> {
            Issued issued = client.issueFromCsr(ca, "s" + i + "-" + tag + "@" + DOMAIN, csrs.get((int) i));
            require(issued.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"), "no certificate PEM");
            revocable.add(issued);
            ocspSerials.add(issued.serial());
        });
        calls.put("keygen-ec", i -> require(client.issueWithServerKey(ca, "k" + i + "-" + tag + "@" + DOMAIN,
                KeyAlgorithm.EC_P256.name()).keyId() != null, "no keyId"));
        calls.put("pkcs12-legacy", i -> pkcs12(i, "legacy"));
        calls.put("pkcs12-modern", i -> pkcs12(i, "modern"));
        calls.put("lookup-http", i -> {
            Issued seed = random(seeds);
            JsonNode entry = client.directoryEntry(seed.email());
            require(entry.path("certificates").size() > 0, "no certificate for " + seed.email());
        });
        calls.put("lookup-ldap", i -> ldap.search(random(seeds).email()));
        calls.put("sign", i -> {
            String answer = text(client.smimeBytes("sign", Map.of("signer", alice), message));
            require(answer.contains("pkcs7-signature") || answer.contains("signed-data"), "not a signed message");
        });
        calls.put("verify", i -> {
            JsonNode report = client.verify(signed);
            require(report.path("valid").asBoolean(), "verify said not valid: " + report);
        });
        calls.put("encrypt", i -> require(text(client.smimeBytes("encrypt", Map.of(), message))
                .contains("enveloped-data"), "not an enveloped message"));
        calls.put("decrypt", i -> require(text(client.smimeBytes("decrypt", Map.of(), encrypted)).contains(MARKER),
                "the decrypted message lacks its text"));
        calls.put("revoke", i -> {
            Issued victim = revocable.poll();
            require(victim != null, "nothing left to revoke");
            JsonNode answer = client.revoke(victim.serial(), "superseded");
            require("revoked".equals(answer.path("status").asText()), "status after revocation: " + answer);
        });
        calls.put("crl", i -> {
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(client.crl(ca)));
            require(crl.getIssuerX500Principal().equals(caCertificate.getSubjectX500Principal()),
                    "CRL of another issuer: " + crl.getIssuerX500Principal());
        });
        calls.put("ocsp", i -> ocsp(random(ocspSerials)));
        return calls;
    }

    private void pkcs12(long index, String profile) throws IOException {
        byte[] pkcs12 = client.exportPkcs12Bytes(exportKeys.get((int) (index % exportKeys.size())), profile,
                "soak-" + tag);
        require(pkcs12.length > 100 && pkcs12[0] == 0x30, "not a DER PKCS#12 file");
    }

    private void ocsp(String serialHex) throws Exception {
        BigInteger serial = new BigInteger(serialHex, 16);
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(caCertificate), serial);
        OCSPResp response = new OCSPResp(client.ocsp(ca, new OCSPReqBuilder().addRequest(id).build().getEncoded()));
        require(response.getStatus() == OCSPResp.SUCCESSFUL, "OCSP response status " + response.getStatus());
        SingleResp[] answers = ((BasicOCSPResp) response.getResponseObject()).getResponses();
        require(answers.length == 1 && answers[0].getCertID().getSerialNumber().equals(serial),
                "OCSP answered about another certificate");
    }

    private Result load(Map<String, Call> calls) throws Exception {
        int minutes = schedule.minutes();
        Map<String, Recorder> recorders = new LinkedHashMap<>();
        for (SoakSchedule.Rate rate : schedule.rates()) {
            recorders.put(rate.operation(), new Recorder(rate, minutes));
        }
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        long loadNanos = schedule.minuteStartNanos(minutes) + TAIL.toNanos();
        say(String.format(java.util.Locale.ROOT,
                "load: %d operations, %.1f calls/s, %.0f %% of the machine as the quick bench measured it; "
                        + "%d s warm-up, %d measured minutes",
                schedule.rates().size(), schedule.perSecond(), 100 * schedule.machineShare(),
                schedule.warmup().toSeconds(),
                minutes));
        ExecutorService callers = Executors.newFixedThreadPool(64, daemon("soak-call"));
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(daemon("soak-sample"));
        List<Thread> dispatchers = new ArrayList<>();
        long start = System.nanoTime();
        sampler.scheduleAtFixedRate(() -> sample(samples, start), 0, SAMPLE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        for (Recorder recorder : recorders.values()) {
            Call call = calls.get(recorder.rate.operation());
            Thread dispatcher = new Thread(() -> dispatch(recorder, call, callers, start, loadNanos),
                    "soak-" + recorder.rate.operation());
            dispatcher.setDaemon(true);
            dispatcher.start();
            dispatchers.add(dispatcher);
        }
        Map<String, Double> heapFirst = new LinkedHashMap<>();
        Map<String, Double> heapLast = new LinkedHashMap<>();
        sleepUntil(start + schedule.measureStartNanos());
        say("measurement starts: forced GC of every service");
        services.forEach(s -> heapFirst.put(s.name(), s.heapAfterForcedGcMb()));
        List<String> loads = new ArrayList<>();
        for (int m = 1; m <= minutes; m++) {
            sleepUntil(start + schedule.minuteStartNanos(m));
            loads.add(Machine.loadAverage());
            say(minuteLine(recorders, m - 1) + "; load " + loads.get(m - 1));
        }
        say("measurement ends: forced GC of every service");
        services.forEach(s -> heapLast.put(s.name(), s.heapAfterForcedGcMb()));
        for (Thread dispatcher : dispatchers) {
            dispatcher.join();
        }
        callers.shutdown();
        if (!callers.awaitTermination(DRAIN.toSeconds(), TimeUnit.SECONDS)) {
            say("calls still running " + DRAIN.toSeconds() + " s after the schedule ended");
            callers.shutdownNow();
        }
        sampler.shutdownNow();
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        return judge(recorders, samples, heapFirst, heapLast, loads, loadSeconds);
    }

    private void dispatch(Recorder recorder, Call call, ExecutorService callers, long start, long loadNanos) {
        long measureStart = start + schedule.measureStartNanos();
        for (long i = 0;; i++) {
            long due = start + recorder.rate.dueNanos(i);
            if (due - start >= loadNanos) {
                return;
            }
            sleepUntil(due);
            long index = i;
            callers.execute(() -> {
                try {
                    call.run(index);
                    long done = System.nanoTime();
                    int minute = minuteOf(done - measureStart);
                    if (minute >= 0) {
                        recorder.latencies[minute].record(done - due);
                        recorder.answered[minute].incrementAndGet();
                    }
                } catch (Exception | AssertionError e) {
                    recorder.errors.incrementAndGet();
                    int minute = minuteOf(System.nanoTime() - measureStart);
                    if (minute >= 0) {
                        recorder.minuteErrors[minute].incrementAndGet();
                    } else {
                        recorder.errorsOutside.incrementAndGet();
                    }
                    recorder.firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            });
        }
    }

    /** The measured minute a moment falls in, or -1 before or after the measurement. */
    private int minuteOf(long nanosAfterMeasureStart) {
        if (nanosAfterMeasureStart < 0) {
            return -1;
        }
        long minute = nanosAfterMeasureStart / Duration.ofMinutes(1).toNanos();
        return minute < schedule.minutes() ? (int) minute : -1;
    }

    private void sample(List<Sample> samples, long start) {
        double at = (System.nanoTime() - start) / 1e9;
        for (ServiceMemory service : services) {
            ServiceMemory.Reading reading = service.read();
            samples.add(new Sample(Math.round(at * 10) / 10.0, service.name(), reading.rssMb(),
                    reading.heapUsedMb(), reading.heapAfterGcMb()));
        }
    }

    private Result judge(Map<String, Recorder> recorders, List<Sample> samples, Map<String, Double> heapFirst,
            Map<String, Double> heapLast, List<String> loads, double loadSeconds) {
        int minutes = schedule.minutes();
        List<OperationFigures> operations = new ArrayList<>();
        List<SoakVerdict.Operation> verdictOps = new ArrayList<>();
        long errorsOutside = 0;
        for (Recorder r : recorders.values()) {
            Latencies all = new Latencies();
            long answered = 0;
            for (int m = 0; m < minutes; m++) {
                all.addAll(r.latencies[m]);
                answered += r.answered[m].get();
            }
            long due = r.rate.dueBetween(schedule.minuteStartNanos(0), schedule.minuteStartNanos(minutes));
            operations.add(new OperationFigures(r.rate.operation(), r.rate.perSecond(), r.rate.benchPerSecond(),
                    r.rate.pricedLike(), due, answered, r.errors.get(), all.percentileMillis(50),
                    all.percentileMillis(99), all.percentileMillis(100), r.firstError.get()));
            verdictOps.add(new SoakVerdict.Operation(r.rate.operation(), due, answered, r.errors.get(),
                    r.firstError.get()));
            errorsOutside += r.errorsOutside.get();
        }
        List<MinuteFigures> minuteFigures = new ArrayList<>();
        List<SoakVerdict.Minute> verdictMinutes = new ArrayList<>();
        List<Sample> snapshot = List.copyOf(samples);
        for (int m = 0; m < minutes; m++) {
            Latencies all = new Latencies();
            long answered = 0;
            long errors = 0;
            for (Recorder r : recorders.values()) {
                all.addAll(r.latencies[m]);
                answered += r.answered[m].get();
                errors += r.minuteErrors[m].get();
            }
            long due = schedule.dueBetween(schedule.minuteStartNanos(m), schedule.minuteStartNanos(m + 1));
            Map<String, Double> rss = new LinkedHashMap<>();
            Map<String, Double> heap = new LinkedHashMap<>();
            for (ServiceMemory service : services) {
                List<Sample> inMinute = inMinute(snapshot, service.name(), m);
                rss.put(service.name(), median(inMinute.stream().mapToDouble(Sample::rssMb).toArray()));
                heap.put(service.name(), inMinute.isEmpty()
                        ? Double.NaN
                        : inMinute.get(inMinute.size() - 1).heapAfterGcMb());
            }
            minuteFigures.add(new MinuteFigures(m + 1, due, answered, errors, answered / 60.0,
                    all.percentileMillis(99), rss, heap, loads.get(m)));
            verdictMinutes.add(new SoakVerdict.Minute(m, due, answered, errors));
        }
        List<SoakVerdict.Memory> memory = new ArrayList<>();
        for (ServiceMemory service : services) {
            memory.add(new SoakVerdict.Memory(service.name(), "heap after forced GC", heapFirst.get(service.name()),
                    heapLast.get(service.name())));
            memory.add(new SoakVerdict.Memory(service.name(), "RSS, median of the first and the last minute",
                    minuteFigures.get(0).rssMb().get(service.name()),
                    minuteFigures.get(minutes - 1).rssMb().get(service.name())));
        }
        List<String> failures = SoakVerdict.failures(verdictOps, verdictMinutes, memory);
        return new Result(schedule, tag, loadSeconds, operations, minuteFigures, memory, snapshot, failures,
                errorsOutside);
    }

    private List<Sample> inMinute(List<Sample> samples, String service, int minute) {
        double from = schedule.minuteStartNanos(minute) / 1e9;
        double to = schedule.minuteStartNanos(minute + 1) / 1e9;
        return samples.stream().filter(s -> s.service().equals(service) && s.atSeconds() >= from && s.atSeconds() < to)
                .toList();
    }

    static double median(double[] values) {
        double[] known = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (known.length == 0) {
            return Double.NaN;
        }
        int mid = known.length / 2;
        return known.length % 2 == 1 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
    }

    private String minuteLine(Map<String, Recorder> recorders, int minute) {
        long answered = 0;
        long errors = 0;
        Latencies all = new Latencies();
        for (Recorder r : recorders.values()) {
            answered += r.answered[minute].get();
            errors += r.minuteErrors[minute].get();
            all.addAll(r.latencies[minute]);
        }
        long due = schedule.dueBetween(schedule.minuteStartNanos(minute), schedule.minuteStartNanos(minute + 1));
        StringBuilder memory = new StringBuilder();
        for (ServiceMemory service : services) {
            ServiceMemory.Reading reading = service.read();
            memory.append(String.format(java.util.Locale.ROOT, " %s %.0f/%.0f", service.name(), reading.rssMb(),
                    reading.heapAfterGcMb()));
        }
        return String.format(java.util.Locale.ROOT,
                "minute %d: %d/%d answered, %.1f/s, %d errors, p99 %.1f ms; RSS/heap-after-GC MB:%s", minute + 1,
                answered, due, answered / 60.0, errors, all.percentileMillis(99), memory);
    }

    private SoakSchedule.Rate rate(String operation) {
        return schedule.rates().stream().filter(r -> r.operation().equals(operation)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no rate for " + operation));
    }

    private interface Attempt {
        void run() throws IOException;
    }

    /** Retries a call refused while the platform's events catch up (409/422), for at most two minutes. */
    private static void untilAccepted(Attempt call) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                call.run();
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private void waitVisible(String email) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!client.visible(email)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(email + " did not reach the directory within 2 minutes");
            }
            Thread.sleep(100);
        }
    }

    private static X509Certificate firstCertificate(String pem) throws Exception {
        if (pem == null) {
            throw new IOException("the issuance answer has no chainPem");
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static <T> T random(List<T> list) {
        synchronized (list) {
            return list.get(ThreadLocalRandom.current().nextInt(list.size()));
        }
    }

    private static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    static void say(String text) {
        System.out.println("soak: " + text);
    }
}
