package dev.smimepki.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Waits until PostgreSQL and Kafka are up and every service answers 200 on {@code /q/health/ready}, showing progress:
 * a line per component as it becomes ready, and a live "waiting for" line on a terminal (dots elsewhere).
 */
final class StartupWatch {

    /** How the wait ended; {@code component} names the log to show when it did not end well. */
    record Outcome(Result result, String problem, String component) {

        enum Result {
            READY,
            FAILED,
            TIMED_OUT,
            CANCELLED
        }
    }

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration DOT_INTERVAL = Duration.ofSeconds(2);

    private final PlatformHome home;
    private final PrintWriter out;
    private final boolean terminal;
    private final HealthProbe probe = new HealthProbe();
    private volatile boolean cancelled;
    private int progressWidth;
    private boolean dotsPending;

    StartupWatch(PlatformHome home, PrintWriter out, boolean terminal) {
        this.home = home;
        this.out = out;
        this.terminal = terminal;
    }

    /** Ends the wait at the next poll with {@link Outcome.Result#CANCELLED}, printing nothing more. */
    void cancel() {
        cancelled = true;
    }

    /**
     * @param ownerAlive whether the supervisor still runs; once it is gone nothing more will start
     */
    Outcome await(BooleanSupplier ownerAlive, Duration timeout) {
        Instant started = Instant.now();
        Instant deadline = started.plus(timeout);
        Instant nextDot = started.plus(DOT_INTERVAL);
        Set<String> pending = new LinkedHashSet<>(List.of(PlatformHome.POSTGRES, PlatformHome.KAFKA));
        for (PlatformService service : PlatformService.values()) {
            pending.add(service.id());
        }
        while (true) {
            if (cancelled) {
                return new Outcome(Outcome.Result.CANCELLED, "interrupted", PlatformHome.SUPERVISOR);
            }
            for (String component : new ArrayList<>(pending)) {
                Optional<String> failure = exitedDuringStart(component);
                if (failure.isPresent()) {
                    endProgress();
                    return new Outcome(Outcome.Result.FAILED, failure.get(), component);
                }
                Optional<String> ready = readyDetail(component);
                if (ready.isPresent() && !cancelled) {
                    pending.remove(component);
                    endProgress();
                    out.printf("  %-18s ready  %s (%d s)%n", component, ready.get(), seconds(started));
                }
            }
            if (pending.isEmpty()) {
                endProgress();
                return new Outcome(Outcome.Result.READY, "", "");
            }
            if (!ownerAlive.getAsBoolean()) {
                if (cancelled) {
                    continue;
                }
                endProgress();
                String reason = home.startFailure().orElse("the supervisor exited");
                return new Outcome(Outcome.Result.FAILED, reason, PlatformHome.SUPERVISOR);
            }
            if (Instant.now().isAfter(deadline)) {
                endProgress();
                String first = pending.iterator().next();
                String component = first.equals(PlatformHome.POSTGRES) || first.equals(PlatformHome.KAFKA)
                        ? PlatformHome.SUPERVISOR
                        : first;
                return new Outcome(Outcome.Result.TIMED_OUT, "not ready after " + timeout.toSeconds() + " s: "
                        + pending.stream().map(this::describePending).collect(Collectors.joining(", ")), component);
            }
            if (cancelled) {
                continue;
            }
            if (terminal) {
                showProgress("  waiting for " + String.join(", ", pending) + " ... " + seconds(started) + " s");
            } else if (Instant.now().isAfter(nextDot)) {
                out.print('.');
                out.flush();
                dotsPending = true;
                nextDot = Instant.now().plus(DOT_INTERVAL);
            }
            sleep();
        }
    }

    private String describePending(String component) {
        if (component.equals(PlatformHome.POSTGRES) || component.equals(PlatformHome.KAFKA)) {
            return component + " (still starting)";
        }
        if (home.pidFile(component).liveProcess().isEmpty()) {
            return component + " (not launched)";
        }
        return component + (probe.check(service(component).readinessUri()) == HealthProbe.Readiness.UNREACHABLE
                ? " (running, HTTP port not open)"
                : " (running, /q/health/ready not 200)");
    }

    private Optional<String> readyDetail(String component) {
        PlatformInfo info = home.info();
        switch (component) {
            case PlatformHome.POSTGRES :
                return info.get(PlatformInfo.POSTGRES_ADDRESS)
                        .map(address -> info.get(PlatformInfo.POSTGRES_MODE).orElse("") + ", " + address);
            case PlatformHome.KAFKA :
                return info.get(PlatformInfo.KAFKA_BOOTSTRAP);
            default :
                PlatformService service = service(component);
                if (home.pidFile(component).liveProcess().isEmpty()) {
                    return Optional.empty();
                }
                return probe.check(service.readinessUri()) == HealthProbe.Readiness.READY
                        ? Optional.of(service.baseUrl())
                        : Optional.empty();
        }
    }

    /** A service whose pid file names a process that is gone has exited (the supervisor never restarts one). */
    private Optional<String> exitedDuringStart(String component) {
        if (component.equals(PlatformHome.POSTGRES) || component.equals(PlatformHome.KAFKA)) {
            return Optional.empty();
        }
        return home.pidFile(component).isStale()
                ? Optional.of(component + " exited while starting")
                : Optional.empty();
    }

    private static PlatformService service(String id) {
        for (PlatformService service : PlatformService.values()) {
            if (service.id().equals(id)) {
                return service;
            }
        }
        throw new IllegalArgumentException(id);
    }

    private void showProgress(String line) {
        out.print("\r" + line + " ".repeat(Math.max(0, progressWidth - line.length())));
        out.flush();
        progressWidth = line.length();
    }

    private void endProgress() {
        if (terminal && progressWidth > 0) {
            out.print("\r" + " ".repeat(progressWidth) + "\r");
            progressWidth = 0;
        }
        if (dotsPending) {
            out.println();
            dotsPending = false;
        }
        out.flush();
    }

    private static long seconds(Instant since) {
        return Duration.between(since, Instant.now()).toSeconds();
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
