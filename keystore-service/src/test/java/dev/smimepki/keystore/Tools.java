package dev.smimepki.keystore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the clients' own tools (NSS certutil/pk12util, gpgsm) as the referees of what we write. */
public final class Tools {
    private Tools() {
    }

    /**
     * The exit status and output of a command.
     *
     * @param exitCode the process exit status
     * @param output stdout and stderr, interleaved
     */
    public record Result(int exitCode, String output) {
    }

    /** Runs the command with {@code stdin} as its input; fails unless it exits 0. */
    public static String run(String stdin, String... command) {
        Result result = exec(stdin, command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ": "
                    + result.output());
        }
        return result.output();
    }

    public static Result exec(String stdin, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command[0] + " timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** gpgsm against a throw-away home directory, passphrases through loopback pinentry. */
    public static Result gpgsm(Path home, String passphrase, String... args) {
        List<String> command = new ArrayList<>(List.of("gpgsm", "--homedir", home.toString(), "--batch",
                "--pinentry-mode", "loopback", "--passphrase-fd", "0"));
        command.addAll(List.of(args));
        return exec(passphrase + "\n", command.toArray(String[]::new));
    }

    /** Stops the gpg-agent gpgsm started for this home directory. */
    public static void stopGpgAgent(Path home) {
        exec(null, "gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent");
    }

    /** gpgsm's version, e.g. {2, 2, 40}. */
    public static int[] gpgsmVersion() {
        String first = run(null, "gpgsm", "--version").lines().findFirst().orElseThrow();
        String[] parts = first.substring(first.lastIndexOf(' ') + 1).split("\\.");
        int[] version = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            version[i] = Integer.parseInt(parts[i].replaceAll("\\D.*", ""));
        }
        return version;
    }
}
