package dev.smimepki.bench.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.smimepki.bench.driver.Machine;
import dev.smimepki.bench.driver.Options;

/**
 * {@code bench/run --soak MINUTES [--warmup SECONDS] [--rate-scale X]}: the soak against the running platform;
 * writes soak.json and soak.md to the output folder and exits 1 when the load was not held, 2 on bad arguments.
 */
public final class SoakMain {
    public static final String USAGE = String.join("\n",
            "  --soak MINUTES       instead of the figures: the mixed load of docs/benchmarks.md \"Load held\" for a",
            "                       minute of warm-up and MINUTES measured; exit 1 unless it held (soak.json, soak.md)",
            "  --warmup SECONDS     the soak's warm-up (default 60)",
            "  --rate-scale X       multiply every soak rate by X (default 1)");

    /** The soak's own arguments, and the rest for {@link Options}. */
    record Arguments(int minutes, Duration warmup, double scale, List<String> rest) {
    }

    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments;
        Options options;
        try {
            arguments = parse(List.of(args));
            options = Options.parse(arguments.rest(), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Soak.Result result = run(options, SoakSchedule.of(arguments.minutes(), arguments.warmup(),
                arguments.scale()));
        if (!result.held()) {
            System.exit(1);
        }
    }

    /** Runs the soak, writes its report and prints it. */
    public static Soak.Result run(Options options, SoakSchedule schedule) throws Exception {
        Machine machine = Machine.describe();
        Soak.say(machine.describeLine());
        Soak.Result result = new Soak(options, schedule).run();
        SoakReport.write(result, machine, Machine.loadAverage(), options.out());
        System.out.println();
        System.out.print(SoakReport.markdown(result, machine, Machine.loadAverage()));
        Soak.say("results in " + options.out().toAbsolutePath().resolve("soak.json") + " and soak.md");
        return result;
    }

    static Arguments parse(List<String> args) {
        Integer minutes = null;
        Duration warmup = Duration.ofSeconds(60);
        double scale = 1;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--soak", "--warmup", "--rate-scale" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    String value = args.get(++i);
                    try {
                        switch (arg) {
                            case "--soak" -> minutes = Integer.parseInt(value);
                            case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value));
                            default -> scale = Double.parseDouble(value);
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(arg + " needs a number, got '" + value + "'");
                    }
                }
                default -> rest.add(arg);
            }
        }
        if (minutes == null || minutes < 1) {
            throw new IllegalArgumentException("--soak needs a whole number of minutes >= 1");
        }
        if (warmup.isNegative() || !(scale > 0)) {
            throw new IllegalArgumentException("--warmup must be >= 0 and --rate-scale > 0");
        }
        return new Arguments(minutes, warmup, scale, List.copyOf(rest));
    }

    /** True when the arguments ask for the soak instead of the figures. */
    public static boolean asked(String[] args) {
        return List.of(args).contains("--soak");
    }
}
