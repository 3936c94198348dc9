package dev.smimepki.bench.driver;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.smimepki.bench.compare.OpensslCms;
import dev.smimepki.bench.compare.Slapd;
import dev.smimepki.bench.soak.SoakMain;
import dev.smimepki.core.BouncyCastle;

/**
 * The bench: JMH limits, the platform scenarios, openssl and slapd in one run; writes results.json, results.md and
 * results.png to the output folder and prints the table. Started by {@code bench/run}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(Options.USAGE);
            System.out.println(SoakMain.USAGE);
            return;
        }
        if (SoakMain.asked(args)) {
            SoakMain.main(args);
            return;
        }
        Options options;
        try {
            options = Options.parse(Arrays.asList(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        BouncyCastle.ensureRegistered();
        Machine machine = Machine.describe();
        System.out.println("bench: " + machine.describeLine());
        Files.createDirectories(options.out());
        List<Figure> figures = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, String> tools = new LinkedHashMap<>();
        tools.put("jdk", machine.jdk());
        tools.put("openssl", OpensslCms.version());
        tools.put("slapd", Slapd.installed() ? Slapd.version() : "not installed");
        long started = System.nanoTime();
        if (options.runs("jmh")) {
            Scenarios.say("JMH limits (1 thread each, forked JVMs)");
            for (Figure figure : Limits.run(options.sizes(), options.quick(),
                    options.out().resolve("jmh.json"))) {
                figures.add(figure);
                print(figure);
            }
        }
        new Scenarios(options, figures).run();
        Report report = new Report(machine, options, figures, tools, Machine.loadAverage());
        report.write(options.out());
        Plot.write(report.ratios(), "smime-pki bench, " + (options.quick() ? "quick" : "full") + " run, "
                + machine.cores() + " cores, load " + machine.loadAtStart(), options.out().resolve("results.png"));
        System.out.println();
        System.out.print(report.table());
        System.out.printf(Locale.ROOT, "%nbench: %.0f s; results in %s (results.json, results.md, results.png)%n",
                (System.nanoTime() - started) / 1e9, options.out().toAbsolutePath());
    }

    static void print(Figure f) {
        if (Double.isNaN(f.p50Ms())) {
            System.out.printf(Locale.ROOT, "  %-55s %12s %s%n", f.label(), Report.number(f.throughput()), f.unit());
            return;
        }
        System.out.printf(Locale.ROOT, "  %-55s %12s %-5s p50 %8s p99 %8s ms  errors %d%s%n", f.label(),
                Report.number(f.throughput()), f.unit(), Report.ms(f.p50Ms()), Report.ms(f.p99Ms()), f.errors(),
                f.errors() > 0 && f.note() != null ? "  (" + f.note() + ")" : "");
        if (!f.cpuMsPerOp().isEmpty()) {
            System.out.println("      CPU ms/op: " + Report.cpuText(f));
        }
    }
}
