package dev.smimepki.infra.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic of the real test broker from the beginning, as an independent consumer group would. */
public final class TopicReader {
    private TopicReader() {
    }

    /**
     * The records of {@code topic} matching {@code wanted}: waits up to {@code timeout} for {@code expected} of them,
     * then two seconds more so that a duplicate behind them shows up too.
     */
    public static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic,
            Predicate<ConsumerRecord<String, byte[]>> wanted, int expected, Duration timeout) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline) && found.size() <= expected) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(record)) {
                        found.add(record);
                    }
                }
                if (found.size() == expected) {
                    // keep polling briefly: a duplicate would show up right behind
                    deadline = min(deadline, Instant.now().plusSeconds(2));
                }
            }
        }
        return found;
    }

    /**
     * The records of {@code topic} matching {@code wanted}, from the beginning of every partition to the end it has
     * when called: what the topic holds now, without joining a group and without waiting for records that may never
     * come. Callers waiting for events still being published read again. Fails when the end is not reached within
     * {@code timeout}, rather than answering with part of the topic.
     */
    public static List<ConsumerRecord<String, byte[]>> readToEnd(String bootstrapServers, String topic,
            Predicate<ConsumerRecord<String, byte[]>> wanted, Duration timeout) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Instant deadline = Instant.now().plus(timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (!Instant.now().isBefore(deadline)) {
                    throw new IllegalStateException("read " + topic + " to " + ends + " not done within " + timeout
                            + ": " + found.size() + " wanted records so far");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
