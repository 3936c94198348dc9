package dev.smimepki.bench.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time spent by each part of the platform during a scenario (Linux {@code /proc/PID/stat} utime + stime), so a
 * figure says where its time went: per operation, how many CPU milliseconds the services, PostgreSQL (all its
 * processes), Kafka and the driver itself used. On a 2-core machine, 2000 CPU ms per second is everything there is.
 */
public final class CpuAccounting {
    /** Linux reports utime/stime in clock ticks of USER_HZ, 100 on every mainstream kernel. */
    private static final double TICK_MS = 10.0;

    private final Map<String, Long> pids = new LinkedHashMap<>();

    /** Finds the processes by their ports; parts not found are left out. */
    public static CpuAccounting find(Map<String, Integer> ports) {
        CpuAccounting accounting = new CpuAccounting();
        for (Map.Entry<String, Integer> part : ports.entrySet()) {
            OptionalLong pid = ProcessMemory.pidListeningOn(part.getValue());
            pid.ifPresent(p -> accounting.pids.put(part.getKey(), p));
        }
        accounting.pids.put("driver", ProcessHandle.current().pid());
        return accounting;
    }

    /** CPU milliseconds used so far by each part; PostgreSQL sums every process named postgres. */
    public Map<String, Double> snapshot() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (Map.Entry<String, Long> part : pids.entrySet()) {
            cpu.put(part.getKey(), cpuMs(part.getValue()));
        }
        cpu.put("postgres", postgresMs());
        return cpu;
    }

    /** CPU ms per operation of each part between two snapshots. */
    public static Map<String, Double> perOperation(Map<String, Double> before, Map<String, Double> after, long ops) {
        Map<String, Double> per = new LinkedHashMap<>();
        for (Map.Entry<String, Double> part : after.entrySet()) {
            Double start = before.get(part.getKey());
            // PostgreSQL's sum falls when a backend exits during the scenario: no figure rather than a negative one
            if (start != null && ops > 0 && !part.getValue().isNaN() && !start.isNaN()
                    && part.getValue() >= start) {
                per.put(part.getKey(), Math.round((part.getValue() - start) / ops * 100) / 100.0);
            }
        }
        return per;
    }

    static double cpuMs(long pid) {
        try {
            return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** utime + stime (fields 14 and 15) in ms; the command name in parentheses may contain spaces. */
    static double parseStat(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_MS;
    }

    private static double postgresMs() {
        double total = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path dir : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                try {
                    if (Files.readString(dir.resolve("comm")).trim().equals("postgres")) {
                        total += parseStat(Files.readString(dir.resolve("stat")));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return total;
    }
}
