package dev.smimepki.infra;

/**
 * Entry point of the broker process: runs {@code kafka.Kafka} and exits (gracefully, through Kafka's shutdown hook)
 * once the JVM that started it is gone, so a killed test run or runner leaves no broker behind.
 *
 * <p>
 * {@link KafkaBroker} copies this class file into the broker's work directory and puts it on the broker's class
 * path, so it must use nothing but the JDK and must not grow nested classes.
 */
final class ParentWatchingKafkaMain {

    static final String PARENT_PID_PROPERTY = "pki.kafka.parent-pid";

    private ParentWatchingKafkaMain() {
    }

    public static void main(String[] args) throws Throwable {
        String parent = System.getProperty(PARENT_PID_PROPERTY);
        if (parent != null && !parent.isBlank()) {
            long parentPid = Long.parseLong(parent.trim());
            Thread watch = new Thread(() -> watchParent(parentPid), "pki-parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
        try {
            Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watchParent(long parentPid) {
        while (true) {
            boolean alive = ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                System.err.println("[pki-parent-watch] process " + parentPid
                        + " that started this broker is gone; shutting the broker down");
                System.exit(0);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
