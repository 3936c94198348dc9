package dev.smimepki.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs gpgsm (GnuPG's S/MIME tool, as used by Kmail and Mutt) against a throw-away home directory. */
final class Gpgsm {
    private Gpgsm() {
    }

    /** Stops the gpg-agent that gpgsm started for this home directory. */
    static void stopAgent(Path home) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent")
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    static String run(Path home, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gpgsm", "--homedir", home.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gpgsm timed out");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("gpgsm " + String.join(" ", args) + " exited " + process.exitValue() + ": "
                    + output);
        }
        return output;
    }
}
