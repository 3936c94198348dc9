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

/**
 * The {@code pki} command: runs the platform locally ({@code up}, {@code status}, {@code down}) and uses it over the
 * services' public APIs (CAs, certificates, keys, directory, S/MIME messages, the demo).
 */
@Command(name = "pki", mixinStandardHelpOptions = true, versionProvider = Pki.Version.class, description = Pki.DESCRIPTION, subcommands = {
        UpCommand.class, StatusCommand.class, DownCommand.class, TokenCommand.class, SuperviseCommand.class,
        DemoCommand.class, CaCommand.class, IssueCommand.class, RevokeCommand.class, CrlCommand.class,
        ExportCommand.class, KeysCommand.class, LookupCommand.class, SmimeCommands.Sign.class,
        SmimeCommands.Encrypt.class, SmimeCommands.Decrypt.class, SmimeCommands.Verify.class, AuditCommand.class,
        EventsCommand.class,
        CommandLine.HelpCommand.class}, footerHeading = "%nFiles:%n", footer = {
                "  .pki/logs/      one log per service, plus supervisor, kafka and postgres",
                "  .pki/pids/      pid files of the running components",
                "  .pki/postgres/  embedded PostgreSQL data (used when none answers on 5432)",
                "  .pki/kafka/     Kafka data",
                "%nService addresses (user commands): PKI_CA_URL, PKI_KEYSTORE_URL, PKI_CRYPTO_URL,"
                        + " PKI_DIRECTORY_URL (default http://localhost:8081 to 8084).",
                "Token: --token or PKI_TOKEN, else one minted from .pki/secrets.env (pki-admin, or pki-user with"
                        + " --as EMAIL)."}, exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                                "0:done; for status: every component is ready",
                                "1:usage error, or a failure the message explains (port taken, not built, already running,"
                                        + " refused by a service)",
                                "2:a service did not become ready, exited, or does not answer",
                                "3:the platform is not running, or only partly; user commands: not found",
                                "130:interrupted (Ctrl-C); what had been started was stopped"})
public final class Pki implements Runnable {

    static final String DESCRIPTION = "Runs the S/MIME PKI platform on this machine (PostgreSQL, Kafka and the four"
            + " services) and uses it: CAs, certificates, keys, directory look-ups, signed and encrypted mail.";

    /** Set to print the stack trace of an unexpected error. */
    static final String DEBUG_ENV = "PKI_DEBUG";

    @Spec
    private CommandSpec spec;

    @Option(names = "--home", hidden = true, description = "Repository root (default: where this command lives).")
    private Path home;

    // For tests and unusual set-ups: win over the PKI_*_URL environment variables.
    @Option(names = "--ca-url", hidden = true)
    private String caUrl;
    @Option(names = "--keystore-url", hidden = true)
    private String keystoreUrl;
    @Option(names = "--crypto-url", hidden = true)
    private String cryptoUrl;
    @Option(names = "--directory-url", hidden = true)
    private String directoryUrl;

    public static void main(String[] args) {
        // the infrastructure logs through java.util.logging: keep it to warnings on the terminal
        Logger.getLogger("").setLevel(Level.WARNING);
        System.exit(commandLine().execute(args));
    }

    /** The command line with this project's exit codes and error handling (no stack traces for expected failures). */
    public static CommandLine commandLine() {
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
            if (System.getenv(DEBUG_ENV) != null) {
                exception.printStackTrace(err);
            } else {
                err.println("(set " + DEBUG_ENV + "=1 for the stack trace)");
            }
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

    /** Where the services answer: the hidden options, else the environment, else this machine's default ports. */
    ServiceUrls urls() {
        return ServiceUrls.resolve(caUrl, keystoreUrl, cryptoUrl, directoryUrl, System::getenv);
    }

    /** The root command of any (sub)command, for its options. */
    static Pki of(CommandSpec spec) {
        return (Pki) spec.root().userObject();
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
