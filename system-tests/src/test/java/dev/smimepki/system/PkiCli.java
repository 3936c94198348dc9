package dev.smimepki.system;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.smimepki.cli.Pki;

import picocli.CommandLine;

/** Runs {@code pki} commands in this JVM against the system-test platform, as a user would in a terminal. */
final class PkiCli {
    private final Platform platform;
    private final Path home;

    PkiCli(Platform platform, Path dir) {
        this.platform = platform;
        this.home = platform.cliHome(dir);
    }

    /**
     * @param exitCode the command's exit code
     * @param out what it printed on stdout
     * @param err what it printed on stderr
     */
    record Run(int exitCode, String out, String err) {
        Run ok() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    Run run(String... args) {
        return runAgainst(platform.cliUrlOptions(), args);
    }

    /** With other service addresses, e.g. one where nothing answers. */
    Run runAgainst(List<String> urlOptions, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Pki.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(urlOptions);
        all.addAll(List.of(args));
        int exitCode = commandLine.execute(all.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }
}
