package dev.smimepki.cli;

import java.io.Console;
import java.nio.file.Path;
import java.util.Arrays;

/** Passwords for PKCS#12 files: from a file, the environment, or asked twice on the terminal; never an argument. */
final class Passwords {

    static final String EXPORT_PASSWORD_ENV = "PKI_EXPORT_PASSWORD";

    private Passwords() {
    }

    /** The first line of {@code file} (a trailing newline is not part of the password). */
    static String firstLine(Path file) {
        String text = Files2.readText(file, "the password file");
        String line = text.lines().findFirst().orElse("");
        if (line.isEmpty()) {
            throw new CommandFailure(ExitCode.ERROR, "the password file " + file + " is empty");
        }
        return line;
    }

    /** --password-file, else {@value #EXPORT_PASSWORD_ENV}, else asked twice when a terminal is attached. */
    static String forExport(Path file, Console console) {
        if (file != null) {
            return firstLine(file);
        }
        String fromEnvironment = System.getenv(EXPORT_PASSWORD_ENV);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment;
        }
        if (console == null) {
            throw new CommandFailure(ExitCode.ERROR, "no password: pass --password-file FILE or set "
                    + EXPORT_PASSWORD_ENV + " (no terminal to ask on)");
        }
        char[] first = console.readPassword("password for the PKCS#12 file: ");
        char[] second = console.readPassword("the same password again: ");
        try {
            if (first == null || second == null) {
                throw new CommandFailure(ExitCode.ERROR, "no password given");
            }
            if (!Arrays.equals(first, second)) {
                throw new CommandFailure(ExitCode.ERROR, "the two passwords differ; nothing was exported");
            }
            return new String(first);
        } finally {
            if (first != null) {
                Arrays.fill(first, ' ');
            }
            if (second != null) {
                Arrays.fill(second, ' ');
            }
        }
    }
}
