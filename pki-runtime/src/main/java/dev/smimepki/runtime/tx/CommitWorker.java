package dev.smimepki.runtime.tx;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

/**
 * A background thread that works off what committed transactions left for it (outbox rows to publish, audit entries
 * to link): woken after such a commit ({@link #wakeUp}, usually through {@link AfterCommit}), it also looks every
 * second, so that work of another replica or of a process that died before doing it is done too. A failing step is
 * retried with a doubling pause of up to 5 s, and each new error is logged once.
 */
public final class CommitWorker {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    private static final long IDLE_LOOK_MILLIS = 1_000;

    /** One round of work. */
    @FunctionalInterface
    public interface Step {
        /** Does some of the work; true when more may be waiting at once. */
        boolean run() throws Exception;
    }

    private final String name;
    private final String failing;
    private final Logger log;
    private final Step step;
    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicReference<Instant> failingSince = new AtomicReference<>();
    private volatile String lastError;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param name the thread's name
     * @param failing what a failure means, for the log, e.g. "outbox relay cannot publish yet"
     */
    public CommitWorker(String name, String failing, Logger log, Step step) {
        this.name = name;
        this.failing = failing;
        this.log = log;
        this.step = step;
    }

    public void start() {
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Lets the current step finish (up to 5 s) and ends the thread. */
    public void stop() {
        running = false;
        wakeUp();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void wakeUp() {
        wakeUps.release();
    }

    /** When the steps started failing without a success since; null while they succeed. */
    public Instant failingSince() {
        return failingSince.get();
    }

    /** The last failure's message; null while the steps succeed. */
    public String lastError() {
        return lastError;
    }

    private void loop() {
        Duration pause = FIRST_PAUSE;
        while (running) {
            try {
                boolean more = step.run();
                failingSince.set(null);
                lastError = null;
                pause = FIRST_PAUSE;
                if (!more) {
                    wakeUps.tryAcquire(IDLE_LOOK_MILLIS, TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                failingSince.compareAndSet(null, Instant.now());
                if (!String.valueOf(e.getMessage()).equals(lastError)) {
                    log.warnf("%s, will retry: %s", failing, e.toString());
                }
                lastError = String.valueOf(e.getMessage());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }
}
