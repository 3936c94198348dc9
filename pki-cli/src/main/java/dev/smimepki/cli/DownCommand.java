package dev.smimepki.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pki down}: stops everything {@code pki up} started; says "not running" when there is nothing to stop. */
@Command(name = "down", mixinStandardHelpOptions = true, header = DownCommand.HEADER, description = {
        "Stops the four services, Kafka and the embedded PostgreSQL (a machine's PostgreSQL is left"
                + " running). Services get SIGTERM, then SIGKILL after 20 s. Data in .pki/ is kept."})
final class DownCommand implements Callable<Integer> {

    static final String HEADER = "Stop everything 'up' started (idempotent).";

    @ParentCommand
    private Pki pki;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(new PlatformStopper(pki.home(), out).stop() ? "stopped; no platform process left" : "not running");
        out.flush();
        return ExitCode.OK;
    }
}
