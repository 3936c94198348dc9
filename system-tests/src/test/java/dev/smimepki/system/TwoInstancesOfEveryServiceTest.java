package dev.smimepki.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.events.Topics;
import dev.smimepki.infra.test.TopicReader;

/**
 * Scale-out: two instances of every service on one database per service and one broker. The instances of a consumer
 * service share its group's partitions; a burst of issuances (CSR and server-generated keys), revocations, CRL
 * fetches, look-ups and harvesting verifies is spread over both instances of each service while one instance of each
 * is killed with SIGKILL, one service after the other. Callers fail over as a Kubernetes Service would route them
 * (a refused connection goes to the other instance); services reach each other through such fronts too. Afterwards
 * ca-service's records are the truth and nothing may be lost, duplicated, reordered or half-written.
 */
class TwoInstancesOfEveryServiceTest {
    private static final int INSTANCES = 2;
    private static final Duration BURST = Duration.ofSeconds(Integer.getInteger("pki.system.scale-burst-seconds", 40));
    private static final int CALLERS = 6;
    private static final int STRANGERS = 6;
    /** How long a killed member's partitions may take to reach the survivor: session timeout 10 s, plus slack. */
    private static final Duration REBALANCE_LIMIT = Duration.ofSeconds(60);
    /** The consumer groups and the topics their members read; ca-service and crypto-service consume nothing. */
    private static final Map<String, List<String>> GROUPS = Map.of("keystore-service", List.of(Topics.CERTIFICATES),
            "directory-service", List.of(Topics.CERTIFICATES, Topics.HARVEST));
    /** Whom each service calls (through the fronts): a failure there may surface as its 5xx. */
    private static final Map<String, List<String>> DOWNSTREAM = Map.of("ca-service", List.of("keystore-service"),
            "crypto-service", List.of("ca-service", "keystore-service", "directory-service"), "keystore-service",
            List.of(), "directory-service", List.of());
    /**
     * One instance of each service dies, at these fractions of the burst, one after the other; primaries and replicas
     * both. Killed primaries are started again afterwards (other tests use them), killed replicas are retired.
     */
    private static final List<Kill> KILLS = List.of(new Kill("ca-service", 0, 0.2), new Kill("keystore-service", 1,
            0.35), new Kill("crypto-service", 0, 0.5), new Kill("directory-service", 1, 0.65));

    @TempDir
    Path dir;

    private final Map<String, List<ServiceProcess>> instances = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> served = new ConcurrentHashMap<>();
    private final LongAdder failovers = new LongAdder();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final Map<ServiceProcess, Killed> killed = new ConcurrentHashMap<>();
    private final Set<ServiceProcess> restarted = ConcurrentHashMap.newKeySet();

    record Kill(String service, int instance, double atFraction) {
    }

    record Killed(Instant from, Instant until) {
    }

    /** A request that did not get the answer it should have. */
    record Failure(String service, ServiceProcess instance, Instant start, Instant end, int status, String what) {
    }

    /** An answer, or the exception instead, from the instance that took the request. */
    record Reply(ServiceProcess instance, Instant start, Response response, Exception error) {
    }

    record Issued(String serial, String fingerprint, String mailbox, String keyId) {
    }

    @Test
    void twoInstancesShareTheWorkAndLoseNothingWhenOneOfEachDies() throws Exception {
        Platform platform = Platform.get();
        Instant scaling = Instant.now();
        List<ServiceProcess> replicas = platform.scaleTo(INSTANCES, Platform.SERVICES);
        Duration scaleOut = Duration.between(scaling, Instant.now());
        for (String service : Platform.SERVICES) {
            instances.put(service, platform.instances(service).subList(0, INSTANCES));
            turns.put(service, new AtomicInteger());
        }
        String token = platform.adminToken();
        try (Admin admin = Admin.create(adminConfig(platform))) {
            Map<String, Integer> partitions = partitionCounts(admin);
            Map<String, Duration> sharing = new TreeMap<>();
            for (String group : GROUPS.keySet()) {
                sharing.put(group, awaitEveryInstanceHoldsPartitions(admin, group, partitions));
            }

            String issuing = issuingCa(token);
            String csr = csr();
            List<Path> strangerMail = new ArrayList<>();
            Map<Path, String> strangerMailbox = new HashMap<>();
            TestPki elsewhere = TestPki.create(KeyAlgorithm.EC_P256);
            for (int i = 0; i < STRANGERS; i++) {
                String mailbox = "stranger" + i + "-" + System.nanoTime() + "@elsewhere.example.org";
                Path signed = signedByStranger(elsewhere.issue(mailbox), mailbox, i);
                strangerMail.add(signed);
                strangerMailbox.put(signed, mailbox);
            }

            // every instance serves before any dies: each takes the next request of each kind in turn
            Queue<Issued> issued = new ConcurrentLinkedQueue<>();
            Queue<Issued> revocable = new ConcurrentLinkedQueue<>();
            Set<String> failedServerKeyMailboxes = ConcurrentHashMap.newKeySet();
            Set<Path> harvestedMail = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < INSTANCES; i++) {
                String mailbox = "warm" + i + "-" + System.nanoTime() + "@example.com";
                issueWithServerKey(token, issuing, mailbox, issued, failedServerKeyMailboxes);
                keyHistory(token, issued);
                verify(token, strangerMail.get(i), harvestedMail);
                lookUp(issued);
            }
            assertTrue(failures.isEmpty(), "every instance serves: " + failures);

            // the burst
            Set<String> revoked = ConcurrentHashMap.newKeySet();
            Map<Long, Set<String>> crlDigests = new ConcurrentHashMap<>();
            Map<String, Duration> rebalances = new ConcurrentHashMap<>();
            AtomicInteger requests = new AtomicInteger();
            Instant start = Instant.now();
            Instant end = start.plus(BURST);
            ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1 + GROUPS.size());
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                int caller = c;
                work.add(pool.submit(() -> {
                    for (int n = caller; Instant.now().isBefore(end); n++) {
                        requests.incrementAndGet();
                        String mailbox = "scale" + caller + "-" + n + "-" + System.nanoTime() + "@example.com";
                        switch (n % 7) {
                            case 0 -> issueWithCsr(token, issuing, csr, mailbox, issued, revocable);
                            case 1 -> issueWithServerKey(token, issuing, mailbox, issued, failedServerKeyMailboxes);
                            case 2 -> {
                                Issued victim = revocable.poll();
                                if (victim == null) {
                                    issueWithCsr(token, issuing, csr, mailbox, issued, revocable);
                                } else {
                                    revoke(token, victim, revoked);
                                }
                            }
                            case 3 -> verify(token, strangerMail.get(n % STRANGERS), harvestedMail);
                            case 4 -> fetchCrl(issuing, crlDigests);
                            case 5 -> lookUp(issued);
                            default -> keyHistory(token, issued);
                        }
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                for (Kill kill : KILLS) {
                    sleepUntil(start.plusMillis((long) (BURST.toMillis() * kill.atFraction())));
                    ServiceProcess victim = instances.get(kill.service()).get(kill.instance());
                    Instant from = Instant.now();
                    victim.kill();
                    killed.put(victim, new Killed(from, Instant.now()));
                    if (GROUPS.containsKey(kill.service())) {
                        pool.submit(() -> rebalances.put(kill.service(), awaitSurvivorHoldsEverything(admin,
                                kill.service(), victim, partitions, from)));
                    }
                }
                return null;
            }));
            for (Future<?> done : work) {
                done.get(BURST.toSeconds() + 120, TimeUnit.SECONDS);
            }
            Duration burst = Duration.between(start, Instant.now());

            // killed primaries come back (other tests use them; both ca-service instances serve the CRL checked below)
            Instant restarting = Instant.now();
            restartKilledPrimaries(replicas);
            Duration restart = Duration.between(restarting, Instant.now());
            pool.shutdown();
            assertTrue(pool.awaitTermination(REBALANCE_LIMIT.toSeconds() + 30, TimeUnit.SECONDS),
                    "rebalance watchers finished");
            for (String group : GROUPS.keySet()) {
                assertNotNull(rebalances.get(group), "the killed " + group + " member's partitions moved to the"
                        + " survivor within " + REBALANCE_LIMIT);
            }

            List<String> unexplained = unexplainedFailures();
            assertTrue(unexplained.isEmpty(), "requests that failed although their instance was up: "
                    + unexplained);
            for (String service : Platform.SERVICES) {
                for (ServiceProcess instance : instances.get(service)) {
                    assertTrue(served.containsKey(service + ":" + instance.port()), "the burst reached "
                            + service + ":" + instance.port() + ": " + served);
                }
            }

            // the truth: what ca-service committed
            List<JsonPath> committed = CaCertificates.of(instances.get("ca-service").get(1).baseUrl(), token, issuing);
            Map<String, JsonPath> bySerial = new HashMap<>();
            for (JsonPath certificate : committed) {
                assertTrue(bySerial.put(certificate.getString("serial"), certificate) == null,
                        "serial " + certificate.getString("serial") + " issued once");
                assertEquals(certificate.getString("fingerprintSha256"), fingerprint(certificate.getString(
                        "certificatePem")), "the stored certificate is whole and matches its fingerprint");
            }
            for (Issued answer : issued) {
                assertTrue(bySerial.containsKey(answer.serial()), "answered issuance " + answer.serial()
                        + " is committed");
            }
            for (String serial : revoked) {
                assertEquals("revoked", bySerial.get(serial).getString("status"), "answered revocation " + serial);
            }
            Map<String, String> statusByFingerprint = committed.stream().collect(Collectors.toMap(
                    c -> c.getString("fingerprintSha256"), c -> c.getString("status")));
            long revokedCount = statusByFingerprint.values().stream().filter("revoked"::equals).count();

            int events = checkEvents(platform, statusByFingerprint, (int) revokedCount);
            long crlNumber = checkCrls(issuing, bySerial, crlDigests, revokedCount);
            for (JsonPath certificate : committed) {
                awaitDirectoryStatus(certificate);
                if (certificate.getString("keyId") != null) {
                    awaitKeyBinding(token, certificate);
                }
            }
            for (Path mail : harvestedMail) {
                awaitHarvested(strangerMailbox.get(mail));
            }
            int orphanKeys = orphanKeys(token, failedServerKeyMailboxes);
            long serverKeys = committed.stream().filter(c -> c.getString("keyId") != null).count();

            System.out.printf("scale-out: %d instances of each service started in %d s; groups shared by both"
                    + " instances after %s; partitions %s%n", INSTANCES, scaleOut.toSeconds(), sharing, partitions);
            System.out.printf("scale-out: burst %d s, %d requests by %d callers, served per instance %s, %d refused"
                    + " connections failed over, %d failures in flight on a dying instance%n", burst.toSeconds(),
                    requests.get(), CALLERS, new TreeMap<>(served), failovers.sum(), failures.size());
            System.out.printf("scale-out: kills %s; rebalance to the survivor %s; %d certificates committed (%d with"
                    + " server-generated keys, %d revoked), %d events checked, last CRL number %d (%d CRLs seen"
                    + " across both instances), %d strangers harvested, %d keys left without certificate by"
                    + " issuances cut off mid-flight%n", killedSummary(start), new TreeMap<>(rebalances),
                    committed.size(),
                    serverKeys, revokedCount, events, crlNumber, crlDigests.size(), harvestedMail.size(), orphanKeys);
            System.out.printf("scale-out: killed primaries ready again after %d s; checks after the burst took %d s%n",
                    restart.toSeconds(), Duration.between(restarting, Instant.now()).minus(restart).toSeconds());
        } finally {
            platform.retire(replicas);
            restartKilledPrimaries(replicas); // when the test failed before doing so
        }
    }

    /** Starts the killed instances that the platform started itself (other tests use them) and waits for them. */
    private void restartKilledPrimaries(List<ServiceProcess> replicas) {
        List<ServiceProcess> starting = new ArrayList<>();
        for (ServiceProcess victim : killed.keySet()) {
            if (!replicas.contains(victim) && restarted.add(victim)) {
                victim.start();
                starting.add(victim);
            }
        }
        starting.forEach(service -> service.awaitReady(Duration.ofSeconds(180)));
    }

    // ---- the burst's requests -------------------------------------------------------------------------------------

    private void issueWithCsr(String token, String issuing, String csr, String mailbox, Queue<Issued> issued,
            Queue<Issued> revocable) {
        Reply reply = call("ca-service", url -> given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("caId", issuing, "emails", List.of(mailbox), "csr", csr))
                .post(url + "/api/v1/certificates"));
        if (expect(reply, "ca-service", 201, "issue " + mailbox)) {
            Issued certificate = new Issued(reply.response().path("serial"), reply.response().path(
                    "fingerprintSha256"), mailbox, null);
            issued.add(certificate);
            revocable.add(certificate);
        }
    }

    private void issueWithServerKey(String token, String issuing, String mailbox, Queue<Issued> issued,
            Set<String> failed) {
        Reply reply = call("ca-service", url -> given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("caId", issuing, "emails", List.of(mailbox), "keyAlgorithm", "EC_P256"))
                .post(url + "/api/v1/certificates"));
        if (expect(reply, "ca-service", 201, "issue with a server key " + mailbox)) {
            issued.add(new Issued(reply.response().path("serial"), reply.response().path("fingerprintSha256"),
                    mailbox, reply.response().path("keyId")));
        } else {
            failed.add(mailbox);
        }
    }

    private void revoke(String token, Issued victim, Set<String> revoked) {
        Reply reply = call("ca-service", url -> given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("reason", "superseded")).post(url + "/api/v1/certificates/" + victim.serial()
                        + "/revoke"));
        if (expect(reply, "ca-service", 200, "revoke " + victim.serial())) {
            revoked.add(victim.serial());
        }
    }

    private void verify(String token, Path mail, Set<Path> harvested) {
        Reply reply = call("crypto-service", url -> given().auth().oauth2(token).contentType("message/rfc822")
                .body(readAll(mail)).post(url + "/api/v1/smime/verify"));
        if (expect(reply, "crypto-service", 200, "verify " + mail.getFileName())) {
            assertEquals(true, reply.response().path("signatureValid"), reply.response().asString());
            if (Boolean.TRUE.equals(reply.response().path("harvested"))) {
                harvested.add(mail);
            }
        }
    }

    private void fetchCrl(String issuing, Map<Long, Set<String>> digests) {
        Reply reply = call("ca-service", url -> given().get(url + "/crl/" + issuing));
        if (expect(reply, "ca-service", 200, "CRL")) {
            byte[] der = reply.response().asByteArray();
            digests.computeIfAbsent(crlNumber(crl(der)), number -> ConcurrentHashMap.newKeySet()).add(sha256(der));
        }
    }

    private void lookUp(Queue<Issued> issued) {
        Issued any = issued.peek();
        String mailbox = any == null ? "nobody@example.com" : any.mailbox();
        expect(call("directory-service", url -> given().get(url + "/api/v1/directory/" + mailbox)),
                "directory-service", 200, "look up " + mailbox);
    }

    private void keyHistory(String token, Queue<Issued> issued) {
        String mailbox = issued.stream().filter(i -> i.keyId() != null).map(Issued::mailbox).findFirst()
                .orElse("nobody@example.com");
        expect(call("keystore-service", url -> given().auth().oauth2(token).queryParam("email", mailbox)
                .get(url + "/api/v1/keys")), "keystore-service", 200, "key history of " + mailbox);
    }

    /**
     * Sends the request to the next instance of {@code service} in turn; a connection the instance refuses (it is
     * down, nothing was sent) goes to the other instance, as a Kubernetes Service routes around a dead pod.
     */
    private Reply call(String service, Function<String, Response> request) {
        List<ServiceProcess> all = instances.get(service);
        int first = Math.floorMod(turns.get(service).getAndIncrement(), all.size());
        Reply last = null;
        for (int i = 0; i < all.size(); i++) {
            ServiceProcess target = all.get((first + i) % all.size());
            Instant start = Instant.now();
            try {
                Response response = request.apply(target.baseUrl());
                served.computeIfAbsent(service + ":" + target.port(), key -> new LongAdder()).increment();
                return new Reply(target, start, response, null);
            } catch (Exception e) { // rest-assured rethrows the client's IOExceptions undeclared
                last = new Reply(target, start, null, e);
                if (!refused(e)) {
                    return last;
                }
                failovers.increment();
            }
        }
        return last;
    }

    /** True when the reply has the expected status; otherwise the failure is kept, to be explained after the burst. */
    private boolean expect(Reply reply, String service, int status, String what) {
        if (reply.error() == null && reply.response().statusCode() == status) {
            return true;
        }
        String outcome = reply.error() != null
                ? reply.error().toString()
                : reply.response().statusCode() + " " + reply.response().asString();
        failures.add(new Failure(service, reply.instance(), reply.start(), Instant.now(), reply.error() != null
                ? -1
                : reply.response().statusCode(), what + ": " + outcome));
        return false;
    }

    /**
     * The failures no kill explains. A request may fail when its own instance died while it was in flight, or with a
     * 5xx when an instance it called downstream died meanwhile (its connection through the front was cut; a pooled
     * connection may be found cut a moment later). Any other failure means the survivors did not keep serving.
     */
    private List<String> unexplainedFailures() {
        List<String> unexplained = new ArrayList<>();
        for (Failure failure : failures) {
            Killed own = killed.get(failure.instance());
            boolean inFlight = own != null && !failure.start().isAfter(own.until()) && !failure.end().isBefore(
                    own.from());
            boolean downstream = failure.status() >= 500 && DOWNSTREAM.get(failure.service())
                    .stream().flatMap(service -> instances.get(service).stream()).map(killed::get)
                    .anyMatch(kill -> kill != null && !failure.start().isAfter(kill.until().plusSeconds(2))
                            && !failure.end().isBefore(kill.from()));
            if (!inFlight && !downstream) {
                unexplained.add(failure.service() + ":" + failure.instance().port() + " " + failure.what());
            }
        }
        return unexplained;
    }

    private static boolean refused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    // ---- consumer groups ----------------------------------------------------------------------------------------

    private static Properties adminConfig(Platform platform) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.broker().bootstrapServers());
        return config;
    }

    /** Partitions of each topic the groups read, as the broker created them. */
    private static Map<String, Integer> partitionCounts(Admin admin) throws Exception {
        Set<String> topics = GROUPS.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        Map<String, Integer> counts = new TreeMap<>();
        for (Map.Entry<String, TopicDescription> topic : admin.describeTopics(topics).allTopicNames().get()
                .entrySet()) {
            counts.put(topic.getKey(), topic.getValue().partitions().size());
            assertTrue(topic.getValue().partitions().size() >= INSTANCES, "topic " + topic.getKey() + " has a"
                    + " partition for each instance: " + topic.getValue().partitions().size());
        }
        return counts;
    }

    /** Partitions held per member client id (each named {@code <service>-<port>-<channel>} by the platform). */
    private static Map<String, Set<TopicPartition>> assignments(Admin admin, String group) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                .get(group).get();
        Map<String, Set<TopicPartition>> held = new HashMap<>();
        for (MemberDescription member : description.members()) {
            held.computeIfAbsent(member.clientId(), id -> new HashSet<>()).addAll(member.assignment()
                    .topicPartitions());
        }
        return held;
    }

    /** Waits until each instance of the group's service holds partitions of every topic the group reads. */
    private Duration awaitEveryInstanceHoldsPartitions(Admin admin, String group, Map<String, Integer> partitions)
            throws Exception {
        Instant start = Instant.now();
        Map<String, Set<TopicPartition>> held = Map.of();
        while (Duration.between(start, Instant.now()).compareTo(REBALANCE_LIMIT) < 0) {
            held = assignments(admin, group);
            if (everyInstanceHoldsPartitions(group, held) && allAssigned(group, held, partitions)) {
                return Duration.between(start, Instant.now());
            }
            Thread.sleep(250);
        }
        throw new AssertionError("in group " + group + " not every instance holds partitions of "
                + GROUPS.get(group) + ": " + held);
    }

    private boolean everyInstanceHoldsPartitions(String group, Map<String, Set<TopicPartition>> held) {
        for (ServiceProcess instance : instances.get(group)) {
            for (String topic : GROUPS.get(group)) {
                boolean holds = held.entrySet().stream().anyMatch(member -> member.getKey().startsWith(
                        prefix(instance)) && member.getValue().stream().anyMatch(p -> p.topic().equals(topic)));
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean allAssigned(String group, Map<String, Set<TopicPartition>> held,
            Map<String, Integer> partitions) {
        Set<TopicPartition> all = held.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        return GROUPS.get(group).stream().allMatch(topic -> all.stream().filter(p -> p.topic().equals(topic))
                .count() == partitions.get(topic));
    }

    /** How long after the kill the survivor alone held every partition of the group; null if not within the limit. */
    private Duration awaitSurvivorHoldsEverything(Admin admin, String group, ServiceProcess victim,
            Map<String, Integer> partitions, Instant killedAt) throws Exception {
        while (Duration.between(killedAt, Instant.now()).compareTo(REBALANCE_LIMIT) < 0) {
            Map<String, Set<TopicPartition>> held = assignments(admin, group);
            boolean victimGone = held.keySet().stream().noneMatch(id -> id.startsWith(prefix(victim)));
            if (victimGone && allAssigned(group, held, partitions)) {
                return Duration.between(killedAt, Instant.now());
            }
            Thread.sleep(200);
        }
        return null;
    }

    private static String prefix(ServiceProcess instance) {
        return instance.name() + "-" + instance.port() + "-";
    }

    // ---- checks after the burst ---------------------------------------------------------------------------------

    /**
     * Every committed certificate has exactly one issued event, a revoked one exactly one revoked event (redelivered
     * copies of the same event id are allowed: the relay publishes at least once), all on one partition, issued
     * first. Returns the records read.
     */
    private static int checkEvents(Platform platform, Map<String, String> statusByFingerprint, int revoked) {
        List<ConsumerRecord<String, byte[]>> records = readCertificateEvents(platform, statusByFingerprint,
                statusByFingerprint.size() + revoked);
        Map<String, List<ConsumerRecord<String, byte[]>>> byCertificate = records.stream().collect(
                Collectors.groupingBy(ConsumerRecord::key));
        for (Map.Entry<String, String> certificate : statusByFingerprint.entrySet()) {
            List<ConsumerRecord<String, byte[]>> own = byCertificate.getOrDefault(certificate.getKey(), List.of());
            Map<String, Set<String>> idsByType = new TreeMap<>();
            Map<String, Long> firstOffset = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : own) {
                String type = header(record, CloudEventHeaders.TYPE);
                idsByType.computeIfAbsent(type, t -> new HashSet<>()).add(header(record, CloudEventHeaders.ID));
                firstOffset.merge(type, record.offset(), Math::min);
            }
            List<String> expected = certificate.getValue().equals("revoked")
                    ? List.of("pki.certificate.issued.v1", "pki.certificate.revoked.v1")
                    : List.of("pki.certificate.issued.v1");
            assertEquals(expected, List.copyOf(idsByType.keySet()), "event types of " + certificate.getKey());
            idsByType.forEach((type, ids) -> assertEquals(1, ids.size(), type + " events of " + certificate.getKey()
                    + ": " + ids));
            assertEquals(1, own.stream().map(ConsumerRecord::partition).distinct().count(),
                    "events of " + certificate.getKey() + " share one partition");
            if (expected.size() == 2) {
                assertTrue(firstOffset.get(expected.get(0)) < firstOffset.get(expected.get(1)),
                        "issued before revoked for " + certificate.getKey() + ": " + firstOffset);
            }
        }
        return records.size();
    }

    /**
     * The certificates' events, read to the end of every partition until each certificate's expected events are
     * there (the relays may still be publishing) or 90 s passed. Unlike a read of a fixed count, a redelivered copy
     * cannot hide another certificate's event.
     */
    private static List<ConsumerRecord<String, byte[]>> readCertificateEvents(Platform platform,
            Map<String, String> statusByFingerprint, int expected) {
        Instant deadline = Instant.now().plusSeconds(90);
        while (true) {
            List<ConsumerRecord<String, byte[]>> found = TopicReader.readToEnd(platform.broker().bootstrapServers(),
                    Topics.CERTIFICATES, r -> statusByFingerprint.containsKey(r.key()), Duration.ofSeconds(60));
            long pairs = found.stream().map(r -> r.key() + " " + header(r, CloudEventHeaders.TYPE)).distinct()
                    .count();
            if (pairs >= expected || !Instant.now().isBefore(deadline)) {
                return found;
            }
            sleep(500);
        }
    }

    /**
     * No CRL number was used for two different CRLs by the two instances; both instances now serve the same latest
     * CRL, listing exactly the revoked certificates, numbered once per revocation after the first.
     */
    private long checkCrls(String issuing, Map<String, JsonPath> bySerial, Map<Long, Set<String>> seen,
            long revoked) {
        seen.forEach((number, digests) -> assertEquals(1, digests.size(), "CRL number " + number + " names one CRL"));
        Set<String> latest = new HashSet<>();
        long number = -1;
        for (ServiceProcess ca : instances.get("ca-service")) {
            byte[] der = given().get(ca.baseUrl() + "/crl/" + issuing).then().statusCode(200).extract()
                    .asByteArray();
            latest.add(sha256(der));
            X509CRL crl = crl(der);
            number = crlNumber(crl);
            Set<String> listed = new HashSet<>();
            Collection<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
            if (entries != null) {
                entries.forEach(entry -> listed.add(entry.getSerialNumber().toString(16)));
            }
            Set<String> expected = bySerial.values().stream().filter(c -> c.getString("status").equals("revoked"))
                    .map(c -> c.getString("serial").toLowerCase().replaceFirst("^0+", ""))
                    .collect(Collectors.toSet());
            assertEquals(expected, listed, "CRL from ca-service:" + ca.port() + " lists the revoked certificates");
        }
        assertEquals(1, latest.size(), "both ca-service instances serve the same CRL");
        assertEquals(revoked + 1, number, "one CRL at creation, one per revocation, none numbered twice");
        return number;
    }

    private void awaitDirectoryStatus(JsonPath certificate) {
        String mailbox = certificate.getList("emails", String.class).get(0);
        String fingerprint = certificate.getString("fingerprintSha256");
        String status = certificate.getString("status");
        awaitEquals(status, () -> {
            JsonPath entry = call("directory-service", url -> given().get(url + "/api/v1/directory/" + mailbox))
                    .response().then().statusCode(200).extract().jsonPath();
            return entry.getString("certificates.find { it.fingerprintSha256 == '" + fingerprint + "' }.status");
        }, "directory status of " + mailbox);
    }

    /** keystore-service bound the certificate to the key it generated, and knows whether it is revoked. */
    private void awaitKeyBinding(String token, JsonPath certificate) {
        String mailbox = certificate.getList("emails", String.class).get(0);
        String keyId = certificate.getString("keyId");
        String fingerprint = certificate.getString("fingerprintSha256");
        String expected = certificate.getString("status").equals("revoked") ? "bound, revoked" : "bound";
        awaitEquals(expected, () -> {
            JsonPath keys = call("keystore-service", url -> given().auth().oauth2(token).queryParam("email",
                    mailbox).get(url + "/api/v1/keys")).response().then().statusCode(200).extract().jsonPath();
            Map<String, Object> summary = keys.getMap("find { it.keyId == '" + keyId
                    + "' }.certificates.find { it.fingerprintSha256 == '" + fingerprint + "' }");
            if (summary == null) {
                return "unbound";
            }
            return summary.get("revokedAt") != null ? "bound, revoked" : "bound";
        }, "key " + keyId + " of " + mailbox);
    }

    private void awaitHarvested(String mailbox) {
        awaitEquals("harvested", () -> call("directory-service", url -> given().get(url + "/api/v1/directory/"
                + mailbox)).response().then().statusCode(200).extract().jsonPath().getString(
                        "certificates.find { it.source == 'harvested' }.source"),
                "harvested certificate of " + mailbox);
    }

    /** Keys generated for issuances that failed (cut off mid-flight): reported, as no request could finish them. */
    private int orphanKeys(String token, Set<String> mailboxes) {
        int orphans = 0;
        for (String mailbox : mailboxes) {
            orphans += call("keystore-service", url -> given().auth().oauth2(token).queryParam("email", mailbox)
                    .get(url + "/api/v1/keys")).response().then().statusCode(200).extract().jsonPath()
                    .getList("findAll { it.certificates.size() == 0 }").size();
        }
        return orphans;
    }

    private static void awaitEquals(String expected, java.util.function.Supplier<String> actual, String what) {
        Instant deadline = Instant.now().plusSeconds(60);
        String last = actual.get();
        while (!expected.equals(last) && Instant.now().isBefore(deadline)) {
            sleep(250);
            last = actual.get();
        }
        assertEquals(expected, last, what);
    }

    // ---- set-up and helpers -------------------------------------------------------------------------------------

    private String issuingCa(String token) {
        String ca = instances.get("ca-service").get(0).baseUrl();
        String root = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Scale Root", "subject", "CN=Scale Root", "keyAlgorithm", "EC_P256",
                        "validityDays", 3650))
                .post(ca + "/api/v1/cas").then().statusCode(201).extract().path("id");
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Scale Issuing", "subject", "CN=Scale Issuing", "keyAlgorithm", "EC_P256",
                        "validityDays", 1825, "issuerCaId", root))
                .post(instances.get("ca-service").get(1).baseUrl() + "/api/v1/cas").then().statusCode(201).extract()
                .path("id");
    }

    private String csr() throws Exception {
        Path key = dir.resolve("key.pem");
        Path csr = dir.resolve("csr.pem");
        OpenSsl.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-subj", "/CN=scale", "-out", csr.toString());
        return Files.readString(csr);
    }

    /** A message signed with openssl by a correspondent of another organisation's CA: verifying it harvests. */
    private Path signedByStranger(EndEntity stranger, String mailbox, int i) throws Exception {
        EndEntity.PemFiles files = stranger.writeTo(dir, "stranger" + i);
        Path message = dir.resolve("stranger" + i + ".eml");
        Files.writeString(message, "From: " + mailbox + "\r\nTo: someone@example.com\r\nSubject: hello " + i
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nhello\r\n",
                StandardCharsets.US_ASCII);
        Path signed = dir.resolve("stranger" + i + "-signed.eml");
        OpenSsl.run("cms", "-sign", "-in", message.toString(), "-signer", files.certificate().toString(), "-inkey",
                files.privateKey().toString(), "-certfile", files.chain().toString(), "-out", signed.toString());
        return signed;
    }

    private String killedSummary(Instant burstStart) {
        return killed.entrySet().stream().map(e -> e.getKey().name() + ":" + e.getKey().port() + " at +"
                + Duration.between(burstStart, e.getValue().from()).toSeconds() + " s")
                .sorted().collect(Collectors.joining(", "));
    }

    private static X509CRL crl(byte[] der) {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new AssertionError("not a CRL", e);
        }
    }

    /** RFC 5280 section 5.2.3: the cRLNumber extension, an INTEGER. */
    private static long crlNumber(X509CRL crl) {
        byte[] extension = crl.getExtensionValue("2.5.29.20");
        assertNotNull(extension, "the CRL has a number");
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getValue().longValueExact();
    }

    private static String fingerprint(String pem) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return sha256(certificate.getEncoded());
        } catch (Exception e) {
            throw new AssertionError("stored certificate does not parse: " + pem, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(AlgorithmPolicy.FINGERPRINT_DIGEST).digest(
                    bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            sleep(millis);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
