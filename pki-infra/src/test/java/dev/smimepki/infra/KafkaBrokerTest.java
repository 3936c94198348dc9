package dev.smimepki.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real broker (the jars in target/kafka-broker) and talks to it with kafka-clients. */
class KafkaBrokerTest {

    private static final String TOPIC = "pki.test.survives-restart";

    @TempDir
    Path workDir;

    @Test
    void startsOnFreePortsAndStopsWithoutLeavingAProcess() throws IOException {
        long pid;
        int port;
        try (KafkaBroker broker = KafkaBroker.start(workDir, 0)) {
            port = broker.port();
            pid = broker.pid();
            assertTrue(broker.isAlive());
            assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
            assertTrue(Ports.isAcceptingConnections("127.0.0.1", port, Duration.ofSeconds(1)));
            assertTrue(Files.readString(broker.logFile()).contains(KafkaBroker.STARTED_MARKER));

            IllegalStateException second = assertThrows(IllegalStateException.class,
                    () -> KafkaBroker.start(workDir, 0));
            assertTrue(second.getMessage().contains("already runs in"), second.getMessage());

            broker.stop();
            assertFalse(broker.isAlive());
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker process " + pid);
        assertFalse(Files.exists(workDir.resolve("broker.pid")));
        assertFalse(Ports.isInUse(port));
    }

    @Test
    void keepsTopicsAndMessagesAcrossKillRestartAndANewStart() throws Exception {
        KafkaBroker broker = KafkaBroker.start(workDir, 0);
        int port = broker.port();
        try {
            send(broker, "issued", "serial-1");

            long pid = broker.pid();
            broker.kill();
            assertFalse(broker.isAlive());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

            broker.restart();
            assertTrue(broker.isAlive());
            assertEquals(port, broker.port());
            assertEquals(List.of("issued=serial-1"), readAll(broker));
            broker.stop();

            broker = KafkaBroker.start(workDir, 0);
            assertEquals(port, broker.port(), "a free previous port is reused");
            send(broker, "revoked", "serial-1");
            assertEquals(List.of("issued=serial-1", "revoked=serial-1"), readAll(broker));
        } finally {
            broker.stop();
        }
        assertTrue(Files.readString(workDir.resolve("kafka.log")).contains("formatting storage"));
        assertEquals(1, Files.readString(workDir.resolve("kafka.log")).split("formatting storage", -1).length - 1,
                "storage formatted once");
    }

    @Test
    void namesTheBuildStepWhenTheJarsAreMissing() {
        String previous = System.setProperty(KafkaBroker.LIB_PROPERTY, workDir.toString());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, KafkaBroker::brokerLibDir);
            assertTrue(e.getMessage().contains("no Kafka broker jars"), e.getMessage());
        } finally {
            System.clearProperty(KafkaBroker.LIB_PROPERTY);
            if (previous != null) {
                System.setProperty(KafkaBroker.LIB_PROPERTY, previous);
            }
        }
    }

    @Test
    void refusesToWipeADirectoryThatIsNotABrokerWorkDirectory() throws IOException {
        Files.writeString(workDir.resolve("precious.txt"), "keep me");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KafkaBroker.startFresh(workDir, 0));
        assertTrue(e.getMessage().contains("refusing to delete"), e.getMessage());
        assertTrue(Files.exists(workDir.resolve("precious.txt")));
    }

    private static void send(KafkaBroker broker, String key, String value) throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all",
                "key.serializer", StringSerializer.class.getName(), "value.serializer",
                StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
        }
    }

    private static List<String> readAll(KafkaBroker broker) {
        Map<String, Object> config = Map.of("bootstrap.servers", broker.bootstrapServers(), "key.deserializer",
                StringDeserializer.class.getName(), "value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            records.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
            return records.stream().map(r -> r.key() + "=" + r.value()).collect(Collectors.toList());
        }
    }
}
