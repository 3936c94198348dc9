package dev.smimepki.cli;

/** The exit codes of every {@code pki} command, listed in {@code pki --help}; scripts rely on them. */
public final class ExitCode {

    /** Done; for {@code status}: every component is ready. */
    public static final int OK = 0;
    /** Bad usage, or a failure the message explains (port taken, not built, already running). */
    public static final int ERROR = 1;
    /** A service did not become ready, exited, or does not answer. */
    public static final int UNREACHABLE = 2;
    /** The platform is not running, or only partly. */
    public static final int NOT_RUNNING = 3;
    /** User commands: what was asked for (CA, certificate, key, mailbox) does not exist. */
    public static final int NOT_FOUND = 3;
    /** Interrupted by Ctrl-C (128 + SIGINT), after stopping what had been started. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
