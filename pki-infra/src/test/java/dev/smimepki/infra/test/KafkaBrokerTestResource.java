package dev.smimepki.infra.test;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.smimepki.infra.KafkaBroker;

/**
 * One real Kafka broker per test JVM for every {@code @QuarkusTest}; sets {@code kafka.bootstrap.servers}.
 *
 * <p>
 * Use with {@code @QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)}.
 * The broker starts empty (in {@code target/pki-test-kafka}), outlives Quarkus restarts between test profiles and
 * stops when the JVM exits (or, should the JVM be killed, by itself: it watches the JVM that started it). Tests
 * reach it through {@link #broker()} to kill or restart it.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    /** Work directory of this JVM's broker, set once it runs. */
    static final String WORK_DIR_PROPERTY = "pki.test.kafka.dir";

    private static KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        KafkaBroker running = broker();
        if (!running.isAlive()) {
            running.restart(); // a previous test class killed it and left it down
        }
        return Map.of("kafka.bootstrap.servers", running.bootstrapServers());
    }

    @Override
    public void stop() {
        // shared by all Quarkus applications of this JVM: the shutdown hook stops it
    }

    /** This JVM's broker, started on first use. */
    public static KafkaBroker broker() {
        synchronized (TestInfrastructure.JVM_WIDE_LOCK) {
            if (broker == null) {
                String workDir = System.getProperty(WORK_DIR_PROPERTY);
                if (workDir != null) {
                    broker = KafkaBroker.attach(Path.of(workDir));
                } else {
                    broker = KafkaBroker.startFresh(TestInfrastructure.buildDirectory("pki-test-kafka"), 0);
                    KafkaBroker started = broker;
                    Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "pki-test-kafka-stop"));
                    System.setProperty(WORK_DIR_PROPERTY, started.workDir().toString());
                }
            }
            return broker;
        }
    }
}
