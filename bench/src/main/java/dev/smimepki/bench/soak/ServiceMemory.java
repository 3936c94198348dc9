package dev.smimepki.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.smimepki.bench.platform.PlatformClient;
import dev.smimepki.bench.platform.ProcessMemory;

/**
 * The memory of one service: resident set from {@code /proc/PID/status}, and from its Prometheus metrics
 * ({@code /q/metrics}, Micrometer's JVM binders) the heap in use and {@code jvm_gc_live_data_size_bytes}, the old
 * generation right after the last GC that reclaimed it: the heap that survives, what a leak makes grow.
 */
final class ServiceMemory {
    /** One reading; NaN where a figure could not be read. */
    record Reading(double rssMb, double heapUsedMb, double heapAfterGcMb) {
    }

    private final String name;
    private final URI metrics;
    private final long pid;
    private final PlatformClient client;

    ServiceMemory(String name, URI base, long pid, PlatformClient client) {
        this.name = name;
        this.metrics = base.resolve("/q/metrics");
        this.pid = pid;
        this.client = client;
    }

    String name() {
        return name;
    }

    long pid() {
        return pid;
    }

    Reading read() {
        double rss = pid > 0 ? ProcessMemory.rssMb(pid) : Double.NaN;
        try {
            String text = client.text(metrics);
            return new Reading(rss, sum(text, "jvm_memory_used_bytes", "area=\"heap\"") / 1e6,
                    sum(text, "jvm_gc_live_data_size_bytes", null) / 1e6);
        } catch (IOException e) {
            return new Reading(rss, Double.NaN, Double.NaN);
        }
    }

    /**
     * A full collection ({@code jcmd PID GC.run}, i.e. System.gc(), a full GC under G1), then the old generation it
     * left: the live heap. Read from the metrics after a second, once Micrometer has seen the GC notification; NaN
     * when the process cannot be attached to.
     */
    double heapAfterForcedGcMb() {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            Process jcmd = new ProcessBuilder(jcmd(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                jcmd.destroyForcibly();
                System.err.println("soak: jcmd " + pid + " GC.run failed: " + out.trim());
                return Double.NaN;
            }
            Thread.sleep(1000);
            return read().heapAfterGcMb();
        } catch (IOException e) {
            System.err.println("soak: jcmd failed: " + e.getMessage());
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** The jcmd next to the java running the driver, else the one on the PATH. */
    static String jcmd() {
        return ProcessHandle.current().info().command().map(Path::of).map(java -> java.resolveSibling("jcmd"))
                .filter(Files::isExecutable).map(Path::toString).orElse("jcmd");
    }

    /**
     * The sum of the samples of one metric in Prometheus text format, only those whose labels contain
     * {@code label} when given; NaN when there is none.
     */
    static double sum(String prometheus, String metric, String label) {
        double total = 0;
        boolean found = false;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            String labels = "";
            if (rest.startsWith("{")) {
                int close = rest.indexOf('}');
                if (close < 0) {
                    continue;
                }
                labels = rest.substring(1, close);
                rest = rest.substring(close + 1);
            } else if (!rest.startsWith(" ")) {
                continue; // another metric whose name starts with this one
            }
            if (label != null && !labels.contains(label)) {
                continue;
            }
            String[] value = rest.trim().split("\\s+");
            try {
                total += Double.parseDouble(value[0]);
                found = true;
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return found ? total : Double.NaN;
    }
}
