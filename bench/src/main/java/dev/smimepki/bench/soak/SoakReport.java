package dev.smimepki.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.smimepki.bench.driver.Machine;

/** soak.json (every figure, every memory sample, the verdict) and soak.md (the tables of docs/benchmarks.md). */
public final class SoakReport {
    private SoakReport() {
    }

    public static void write(Soak.Result result, Machine machine, String loadAtEnd, Path out) throws IOException {
        Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("loadAverageAtEnd", loadAtEnd);
        json.put("held", result.held());
        json.put("failures", result.failures());
        json.put("rules", Map.of("rateHeldPerOperation", SoakVerdict.RATE_HELD, "rateHeldPerMinute",
                SoakVerdict.MINUTE_HELD, "memoryGrowthShare", SoakVerdict.GROWTH_SHARE, "memoryGrowthMb",
                SoakVerdict.GROWTH_MB));
        json.put("result", result);
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
        mapper.writeValue(out.resolve("soak.json").toFile(), json);
        Files.writeString(out.resolve("soak.md"), markdown(result, machine, loadAtEnd));
    }

    static String markdown(Soak.Result result, Machine machine, String loadAtEnd) {
        SoakSchedule schedule = result.schedule();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT,
                "Soak: %d measured minutes after %d s of warm-up, %.1f calls/s offered (%.0f %% of the machine as the"
                        + " quick bench measured each operation), %d answered, %d errors; %s%n%n",
                schedule.minutes(), schedule.warmup().toSeconds(), schedule.perSecond(),
                100 * schedule.machineShare(), result.answered(), result.errors(),
                result.held() ? "**held**" : "**not held**"));
        md.append("Machine: ").append(machine.describeLine()).append("; load at end ").append(loadAtEnd)
                .append("\n\n");
        md.append("| operation | offered /s | bench alone /s | due | answered | errors | p50 ms | p99 ms | max ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Soak.OperationFigures op : result.operations()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s%s | %d | %d | %d | %s | %s | %s |%n", op.operation(),
                    trim(op.perSecond()), trim(op.benchPerSecond()),
                    op.pricedLike() == null ? "" : " (as " + op.pricedLike() + ")", op.due(), op.answered(),
                    op.errors(), ms(op.p50Ms()), ms(op.p99Ms()), ms(op.maxMs())));
        }
        List<String> services = result.memory().stream().map(SoakVerdict.Memory::service).distinct().toList();
        md.append("\n| minute | due | answered | answered /s | errors | p99 ms |");
        services.forEach(s -> md.append(' ').append(s).append(" RSS MB |"));
        services.forEach(s -> md.append(' ').append(s).append(" heap after GC MB |"));
        md.append(" load |\n|---:|---:|---:|---:|---:|---:|");
        md.append("---:|".repeat(2 * services.size())).append("---|\n");
        for (Soak.MinuteFigures m : result.minutes()) {
            md.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %d | %s |", m.minute(), m.due(),
                    m.answered(), m.perSecond(), m.errors(), ms(m.p99Ms())));
            services.forEach(s -> md.append(' ').append(mb(m.rssMb().get(s))).append(" |"));
            services.forEach(s -> md.append(' ').append(mb(m.heapAfterGcMb().get(s))).append(" |"));
            md.append(' ').append(m.loadAverage()).append(" |\n");
        }
        md.append("\n| service | figure | first MB | last MB | growth MB | grew |\n|---|---|---:|---:|---:|---|\n");
        for (SoakVerdict.Memory figure : result.memory()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", figure.service(),
                    figure.what(), mb(figure.firstMb()), mb(figure.lastMb()), mb(figure.growthMb()),
                    SoakVerdict.grew(figure.firstMb(), figure.lastMb()) ? "**yes**" : "no"));
        }
        md.append('\n');
        if (result.held()) {
            md.append("Verdict: held (no error, every rate held, no memory growth).\n");
        } else {
            md.append("Verdict: **not held**:\n");
            result.failures().forEach(f -> md.append("- ").append(f).append('\n'));
        }
        return md.toString();
    }

    static String trim(double value) {
        if (value == Math.rint(value)) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, value < 0.1 ? "%.3f" : "%.2f", value);
    }

    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    static String mb(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f", value);
    }
}
