package dev.smimepki.runtime.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import dev.smimepki.events.CloudEventHeaders;
import dev.smimepki.runtime.tx.CommitWorker;

/**
 * Publishes committed outbox rows to Kafka in commit order, with CloudEvents binary-mode headers, and marks them
 * published only after the broker acknowledged them (at-least-once; consumers skip duplicates by {@code ce_id}).
 * One relay per database publishes at a time (advisory lock), which keeps events of one certificate in order when
 * several replicas share the database.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant naming the relay's PostgreSQL advisory lock. */
    private static final long RELAY_LOCK = 0x706b692d6f7574L;
    private static final int BATCH = 500;

    private final AgroalDataSource dataSource;
    private final String bootstrapServers;
    private final String clientId;
    private final Duration retention;
    private final Counter published;
    private final CommitWorker worker = new CommitWorker("outbox-relay", "outbox relay cannot publish yet", LOG,
            this::publishBatch);
    private volatile long pending;
    private KafkaProducer<String, byte[]> producer;

    OutboxRelay(AgroalDataSource dataSource, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName,
            @ConfigProperty(name = "pki.outbox.retention", defaultValue = "P7D") Duration retention) {
        this.dataSource = dataSource;
        this.bootstrapServers = bootstrapServers;
        this.clientId = applicationName + "-outbox";
        this.retention = retention;
        this.published = Counter.builder("pki.outbox.published").description("events published to Kafka")
                .register(registry);
        registry.gauge("pki.outbox.pending", this, relay -> relay.pending);
    }

    void start(@Observes StartupEvent startup) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        worker.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        worker.stop();
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }

    /** Called after a transaction that wrote to the outbox committed. */
    void wakeUp() {
        worker.wakeUp();
    }

    /** Rows not yet acknowledged by the broker, as last counted. */
    public long pending() {
        return pending;
    }

    /** When publishing started failing without success since; empty while healthy. */
    public Instant failingSince() {
        return worker.failingSince();
    }

    public String lastError() {
        return worker.lastError();
    }

    /** Publishes one batch; true when more rows may be waiting. */
    private boolean publishBatch() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!tryLock(connection)) {
                    connection.rollback();
                    pending = countPending(connection);
                    return false;
                }
                List<Long> sent = sendPending(connection);
                if (!sent.isEmpty()) {
                    try (PreparedStatement update = connection.prepareStatement(
                            "update outbox_event set published_at = now() where seq = any (?)")) {
                        update.setArray(1, connection.createArrayOf("bigint", sent.toArray()));
                        update.executeUpdate();
                    }
                }
                connection.commit();
                published.increment(sent.size());
                pending = countPending(connection);
                return sent.size() == BATCH;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private List<Long> sendPending(Connection connection) throws Exception {
        List<Long> seqs = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        Set<String> topicsKnown = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select seq, ce_id, ce_type, ce_source, ce_time, topic, record_key, payload
                from outbox_event where published_at is null order by seq limit ?""")) {
            select.setInt(1, BATCH);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    RecordHeaders headers = new RecordHeaders();
                    header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
                    header(headers, CloudEventHeaders.ID, rs.getString("ce_id"));
                    header(headers, CloudEventHeaders.TYPE, rs.getString("ce_type"));
                    header(headers, CloudEventHeaders.SOURCE, rs.getString("ce_source"));
                    header(headers, CloudEventHeaders.TIME, DateTimeFormatter.ISO_INSTANT
                            .format(rs.getObject("ce_time", OffsetDateTime.class).toInstant()));
                    header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
                    String topic = rs.getString("topic");
                    if (topicsKnown.add(topic)) {
                        // throws while the broker cannot say where the topic lives; else a send failing on that
                        // alone would let the records behind it go out first, out of order
                        producer.partitionsFor(topic);
                    }
                    Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic, null,
                            rs.getString("record_key"), rs.getBytes("payload"), headers));
                    if (ack.isDone()) {
                        ack.get(); // failed at once: send nothing behind it, so a retry keeps the order
                    }
                    acks.add(ack);
                    seqs.add(rs.getLong("seq"));
                }
            }
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(15, TimeUnit.SECONDS);
        }
        return seqs;
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static long countPending(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "select count(*) from outbox_event where published_at is null");
                ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Published rows are kept a while for inspection and replay, then dropped. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dropPublished() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "delete from outbox_event where published_at < now() - ?::interval")) {
            delete.setString(1, retention.toSeconds() + " seconds");
            int dropped = delete.executeUpdate();
            LOG.debugf("dropped %d published outbox rows", dropped);
        }
    }
}
