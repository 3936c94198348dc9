package dev.smimepki.cli;

import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * The detached process {@code pki up} starts: owns PostgreSQL, Kafka and the services until {@code pki down} sends it
 * SIGTERM. Its output is {@code .pki/logs/supervisor.log}.
 */
@Command(name = "supervise", hidden = true, description = "Internal: owns the running platform (started by up).")
final class SuperviseCommand implements Callable<Integer> {

    @ParentCommand
    private Pki pki;

    @Override
    public Integer call() throws InterruptedException {
        Logger.getLogger("").setLevel(Level.INFO);
        PlatformHome home = pki.home();
        home.createDirectories();
        home.pidFile(PlatformHome.SUPERVISOR).write(ProcessHandle.current());
        Supervisor supervisor = new Supervisor(home, System.out);
        supervisor.stopOnSignals(() -> {
        });
        if (!supervisor.start()) {
            supervisor.awaitStopped();
            return ExitCode.ERROR;
        }
        supervisor.awaitStopped();
        return ExitCode.OK;
    }
}
