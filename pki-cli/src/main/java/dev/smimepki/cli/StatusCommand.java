package dev.smimepki.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.smimepki.infra.Ports;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pki status}: one line per component with its pid, port and state; exit 0 only when all are ready. */
@Command(name = "status", mixinStandardHelpOptions = true, header = StatusCommand.HEADER, description = {
        "Shows each component's pid, port and state: ready (services: /q/health/ready answers 200),"
                + " starting (running, not ready yet) or down.",
        "Exit code 0 when every component is ready, 3 otherwise."})
final class StatusCommand implements Callable<Integer> {

    static final String HEADER = "Show each component's pid, port and state (exit 0 only when all are ready).";

    enum State {
        READY,
        STARTING,
        DOWN;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Row(String component, String pid, String port, State state, String detail) {
    }

    @ParentCommand
    private Pki pki;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PlatformHome home = pki.home();
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows = rows(home, new HealthProbe());
        out.printf("%-18s %-8s %-6s %-9s %s%n", "COMPONENT", "PID", "PORT", "STATE", "");
        for (Row row : rows) {
            out.printf("%-18s %-8s %-6s %-9s %s%n", row.component(), row.pid(), row.port(), row.state(),
                    row.detail());
        }
        boolean allReady = rows.stream().allMatch(row -> row.state() == State.READY);
        boolean noneUp = rows.stream().allMatch(row -> row.state() == State.DOWN);
        if (noneUp) {
            out.println("not running; ./pki up starts it");
        } else if (rows.get(0).state() == State.DOWN) {
            out.println("the supervisor is gone: ./pki down stops what is left, then ./pki up");
        } else if (!allReady) {
            out.println("not every component is ready; logs in " + home.logsDir());
        }
        out.flush();
        return allReady ? ExitCode.OK : ExitCode.NOT_RUNNING;
    }

    /** The state of every component, supervisor first. */
    static List<Row> rows(PlatformHome home, HealthProbe probe) {
        List<Row> rows = new ArrayList<>();
        Optional<ProcessHandle> supervisor = home.pidFile(PlatformHome.SUPERVISOR).liveProcess();
        rows.add(new Row(PlatformHome.SUPERVISOR, pid(supervisor), "-", supervisor.isPresent()
                ? State.READY
                : State.DOWN, home.display(home.logFile(PlatformHome.SUPERVISOR))));
        rows.add(postgres(home, supervisor.isPresent()));
        rows.add(kafka(home));
        for (PlatformService service : PlatformService.values()) {
            Optional<ProcessHandle> process = home.pidFile(service.id()).liveProcess();
            State state = process.isEmpty()
                    ? State.DOWN
                    : probe.check(service.readinessUri()) == HealthProbe.Readiness.READY
                            ? State.READY
                            : State.STARTING;
            String detail = service.baseUrl() + (service == PlatformService.DIRECTORY
                    ? "  ldap://localhost:" + PlatformService.LDAP_PORT
                    : "");
            rows.add(new Row(service.id(), pid(process), Integer.toString(service.port()), state, detail));
        }
        return rows;
    }

    private static Row postgres(PlatformHome home, boolean supervisorAlive) {
        PlatformInfo info = home.info();
        Optional<String> mode = info.get(PlatformInfo.POSTGRES_MODE);
        Optional<String> address = info.get(PlatformInfo.POSTGRES_ADDRESS);
        Optional<ProcessHandle> process = home.pidFile(PlatformHome.POSTGRES).liveProcess();
        String port = address.map(StatusCommand::port).orElse("-");
        if (mode.isPresent() && !mode.get().equals("embedded")) {
            // not ours to run: ready while the platform runs and the server answers
            State state = supervisorAlive && answers(address.get()) ? State.READY : State.DOWN;
            return new Row(PlatformHome.POSTGRES, "-", port, state, mode.get() + " server " + address.get());
        }
        State state = process.isEmpty()
                ? State.DOWN
                : address.isPresent() && answers(address.get()) ? State.READY : State.STARTING;
        String detail = mode.isPresent() || process.isPresent()
                ? "embedded, data in " + home.display(home.postgresDir())
                : "";
        return new Row(PlatformHome.POSTGRES, pid(process), port, state, detail);
    }

    private static Row kafka(PlatformHome home) {
        Optional<String> bootstrap = home.info().get(PlatformInfo.KAFKA_BOOTSTRAP);
        Optional<ProcessHandle> process = home.pidFile(PlatformHome.KAFKA).liveProcess();
        State state = process.isEmpty()
                ? State.DOWN
                : bootstrap.isPresent() && answers(bootstrap.get()) ? State.READY : State.STARTING;
        return new Row(PlatformHome.KAFKA, pid(process), bootstrap.map(StatusCommand::port)
                .orElse(Integer.toString(Supervisor.KAFKA_PORT)), state, bootstrap.orElse(""));
    }

    private static boolean answers(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        try {
            return Ports.isAcceptingConnections(hostAndPort.substring(0, colon),
                    Integer.parseInt(hostAndPort.substring(colon + 1)), Duration.ofMillis(500));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String port(String hostAndPort) {
        return hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1);
    }

    private static String pid(Optional<ProcessHandle> process) {
        return process.map(handle -> Long.toString(handle.pid())).orElse("-");
    }
}
