package dev.smimepki.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Stops a running platform from outside: asks the supervisor to stop (it stops the rest in order), then stops
 * whatever is still alive from the pid files (for instance after the supervisor was killed), and checks that no
 * process is left.
 */
final class PlatformStopper {

    /** The supervisor may first let a start step end (up to 2 min), then gives services 20 s and Kafka 30 s. */
    private static final Duration SUPERVISOR_STOP_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration PROCESS_STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final PlatformHome home;
    private final PrintWriter out;

    PlatformStopper(PlatformHome home, PrintWriter out) {
        this.home = home;
        this.out = out;
    }

    /**
     * @return false when nothing was running
     * @throws CommandFailure when a process survives SIGKILL
     */
    boolean stop() {
        Map<String, ProcessHandle> live = home.liveProcesses();
        orphanedPostmaster().ifPresent(handle -> live.putIfAbsent(PlatformHome.POSTGRES, handle));
        if (live.isEmpty()) {
            cleanUp();
            return false;
        }
        List<ProcessHandle> all = new ArrayList<>(live.values());
        ProcessHandle supervisor = live.remove(PlatformHome.SUPERVISOR);
        if (supervisor != null) {
            all.addAll(supervisor.descendants().collect(Collectors.toList()));
            out.println("stopping the platform (supervisor pid " + supervisor.pid() + ")...");
            supervisor.destroy();
            if (!Supervisor.awaitExit(supervisor, SUPERVISOR_STOP_TIMEOUT)) {
                out.println("the supervisor did not stop within " + SUPERVISOR_STOP_TIMEOUT.toSeconds()
                        + " s; killing it and stopping the rest directly");
                supervisor.destroyForcibly();
                Supervisor.awaitExit(supervisor, KILL_WAIT);
            }
        }
        // left behind by a supervisor that was killed, or that did not finish: services first, PostgreSQL last
        Map<String, ProcessHandle> remaining = new LinkedHashMap<>();
        for (Map.Entry<String, ProcessHandle> entry : live.entrySet()) {
            if (entry.getValue().isAlive()) {
                remaining.put(entry.getKey(), entry.getValue());
            }
        }
        ProcessHandle postgres = remaining.remove(PlatformHome.POSTGRES);
        if (postgres == null) {
            postgres = orphanedPostmaster().orElse(null);
        }
        if (postgres != null) {
            all.add(postgres);
        }
        remaining.forEach(this::stopProcess);
        if (postgres != null && postgres.isAlive()) {
            stopPostgres(postgres);
        }
        for (ProcessHandle handle : all) {
            if (handle.isAlive()) {
                handle.destroyForcibly();
                Supervisor.awaitExit(handle, KILL_WAIT);
            }
        }
        List<String> survivors = all.stream().filter(ProcessHandle::isAlive)
                .map(handle -> PortOwner.describeProcess(handle.pid())).collect(Collectors.toList());
        if (!survivors.isEmpty()) {
            throw new CommandFailure(ExitCode.ERROR, "could not stop: " + String.join("; ", survivors));
        }
        cleanUp();
        return true;
    }

    private void stopProcess(String name, ProcessHandle handle) {
        out.println("stopping " + name + " (pid " + handle.pid() + ")");
        handle.destroy();
        if (!Supervisor.awaitExit(handle, PROCESS_STOP_GRACE)) {
            out.println(name + " did not stop within " + PROCESS_STOP_GRACE.toSeconds() + " s; killing it");
            handle.destroyForcibly();
            Supervisor.awaitExit(handle, KILL_WAIT);
        }
    }

    /** SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to disconnect. */
    private void stopPostgres(ProcessHandle postmaster) {
        out.println("stopping embedded PostgreSQL (pid " + postmaster.pid() + ")");
        if (!signal("INT", postmaster.pid())) {
            postmaster.destroy();
        }
        if (!Supervisor.awaitExit(postmaster, PROCESS_STOP_GRACE)) {
            List<ProcessHandle> children = postmaster.descendants().collect(Collectors.toList());
            postmaster.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            Supervisor.awaitExit(postmaster, KILL_WAIT);
        }
    }

    /** The embedded server of {@code .pki/postgres} when its pid file is gone but it still runs. */
    private Optional<ProcessHandle> orphanedPostmaster() {
        return Supervisor.postmasterPid(home.postgresDir()).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().command().map(command -> command.contains("postgres")).orElse(false));
    }

    private void cleanUp() {
        for (String component : PlatformHome.components()) {
            home.pidFile(component).delete();
        }
        home.info().delete();
    }

    private static boolean signal(String signal, long pid) {
        try {
            return new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
