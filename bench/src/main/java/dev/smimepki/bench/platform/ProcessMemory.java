package dev.smimepki.bench.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Peak resident memory of a service process (Linux {@code /proc/PID/status} VmHWM), and finding it by its port. */
public final class ProcessMemory {
    private static final Pattern SS_PID = Pattern.compile("pid=(\\d+)");
    private static final Pattern KB = Pattern.compile("(\\d+)\\s*kB");

    private ProcessMemory() {
    }

    /** The process listening on a TCP port, from {@code ss -ltnp}; empty when none or ss is missing. */
    public static OptionalLong pidListeningOn(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ss.waitFor(10, TimeUnit.SECONDS)) {
                ss.destroyForcibly();
                return OptionalLong.empty();
            }
            return parseSsPid(out);
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    static OptionalLong parseSsPid(String ssOutput) {
        Matcher matcher = SS_PID.matcher(ssOutput);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /** Peak RSS in MB (10^6 bytes) since start or since the last {@link #resetPeak(long)}; NaN when unreadable. */
    public static double peakRssMb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** Current RSS in MB. */
    public static double rssMb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /**
     * Resets the kernel's peak-RSS mark to the current RSS ({@code echo 5 > /proc/PID/clear_refs}, Linux 4.0+, the
     * process's owner or root), so each scenario reports its own peak. False when not permitted.
     */
    public static boolean resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static double statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return parseKbLine(line);
                }
            }
        } catch (IOException e) {
            // the process is gone or not ours to read
        }
        return Double.NaN;
    }

    static double parseKbLine(String line) {
        Matcher matcher = KB.matcher(line);
        return matcher.find() ? Long.parseLong(matcher.group(1)) * 1024 / 1e6 : Double.NaN;
    }
}
