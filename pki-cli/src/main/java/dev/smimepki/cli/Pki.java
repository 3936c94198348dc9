package dev.smimepki.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code pki} command: runs the platform locally ({@code up}, {@code status}, {@code down}). */
@Command(name = "pki", mixinStandardHelpOptions = true, versionProvider = Pki.Version.class, description = Pki.DESCRIPTION, subcommands = {
        UpCommand.class, StatusCommand.class, DownCommand.class, TokenCommand.class, SuperviseCommand.class,
        CommandLine.HelpCommand.class}, footerHeading = "%nFiles:%n", footer = {
                "  .pki/logs/      one log per service, plus supervisor, kafka and postgres",
                "  .pki/pids/      pid files of the running components",
                "  .pki/postgres/  embedded PostgreSQL data (used when none answers on 5432)",
                "  .pki/kafka/     Kafka data"}, exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                        "0:done; for status: every component is ready",
                        "1:usage error, or a failure the message explains (port taken, not built, already running)",
                        "2:a service did not become ready, exited, or does not answer",
                        "3:the platform is not running, or only partly",
                        "130:interrupted (Ctrl-C); what had been started was stopped"})
public final class Pki implements Runnable {

    static final String DESCRIPTION = "Runs the S/MIME PKI platform on this machine: PostgreSQL, Kafka and the four"
            + " services.";

    @Spec
    private CommandSpec spec;

    @Option(names = "--home", hidden = true, description = "Repository root (default: where this command lives).")
    private Path home;

    public static void main(String[] args) {
        // the infrastructure logs through java.util.logging: keep it to warnings on the terminal
        Logger.getLogger("").setLevel(Level.WARNING);
        System.exit(commandLine().execute(args));
    }

    /** The command line with this project's exit codes and error handling (no stack traces for expected failures). */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Pki());
        commandLine.setParameterExceptionHandler(Pki::usageError);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            PrintWriter err = command.getErr();
            if (exception instanceof CommandFailure failure) {
                err.println("pki: " + failure.getMessage());
                err.flush();
                return failure.exitCode();
            }
            err.println("pki: unexpected error: " + exception);
            exception.printStackTrace(err);
            err.flush();
            return ExitCode.ERROR;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    PlatformHome home() {
        return PlatformHome.locate(home);
    }

    private static int usageError(ParameterException exception, String[] args) {
        CommandLine command = exception.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("pki: " + exception.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(exception, err)) {
            err.println("see '" + command.getCommandSpec().qualifiedName() + " --help'");
        }
        err.flush();
        return ExitCode.ERROR;
    }

    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = Pki.class.getPackage().getImplementationVersion();
            return new String[]{"pki " + (version == null ? "(development build)" : version)};
        }
    }
}
