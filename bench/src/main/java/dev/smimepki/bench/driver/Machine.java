package dev.smimepki.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a run measured, from the JVM and /proc, so every result file says where it comes from. */
public record Machine(String cpu, int cores, double memoryGb, String os, String jdk, String loadAtStart) {

    public static Machine describe() {
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException e) {
            // not Linux: keep "unknown"
        }
        double memory = Double.NaN;
        try {
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0) / 1024.0 / 1024.0;
        } catch (IOException e) {
            // not Linux
        }
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), loadAverage());
    }

    /** The 1-, 5- and 15-minute load averages, as /proc/loadavg prints them. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    public String describeLine() {
        return String.format("%s, %d cores, %.1f GB RAM, %s, %s, load at start %s", cpu, cores, memoryGb, os, jdk,
                loadAtStart);
    }
}
