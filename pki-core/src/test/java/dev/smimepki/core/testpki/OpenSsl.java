package dev.smimepki.core.testpki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line, the independent referee for what our code writes. */
public final class OpenSsl {

    private OpenSsl() {
    }

    /** Runs {@code openssl ARGS}, returns stdout and stderr; fails unless the exit status is 0. */
    public static String run(String... args) {
        Result result = exec(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " exited " + result.exitCode() + ": "
                    + result.output());
        }
        return result.output();
    }

    public static Result exec(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * @param exitCode the process exit status
     * @param output stdout and stderr, interleaved
     */
    public record Result(int exitCode, String output) {
    }
}
