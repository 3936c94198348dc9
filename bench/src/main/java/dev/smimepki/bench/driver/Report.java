package dev.smimepki.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Everything a run produced: the figures, the ratios against the references measured in the same run, the issue's
 * targets met or missed, as JSON, a Markdown table and the console table.
 */
public final class Report {
    /**
     * ours / reference.
     *
     * @param figure the platform figure
     * @param against {@code limit}, {@code openssl} or {@code slapd}
     * @param reference the reference figure's id (or a formula of ids)
     * @param ratio ours / reference, both in the platform figure's unit
     */
    public record Ratio(String figure, String against, String reference, double ratio) {
    }

    /**
     * One target of the issue.
     *
     * @param target as the issue words it
     * @param measured what this run measured, in words
     * @param met whether it was met
     * @param margin how far from the target: measured / required (above 1 = met with room, below = missed by)
     */
    public record Target(String target, String measured, boolean met, double margin) {
    }

    private final Machine machine;
    private final Options options;
    private final List<Figure> figures;
    private final List<Ratio> ratios;
    private final List<Target> targets;
    private final String loadAtEnd;
    private final Map<String, String> tools;

    public Report(Machine machine, Options options, List<Figure> figures, Map<String, String> tools,
            String loadAtEnd) {
        this.machine = machine;
        this.options = options;
        this.figures = List.copyOf(figures);
        this.tools = tools;
        this.loadAtEnd = loadAtEnd;
        this.ratios = ratios(this.figures);
        this.targets = targets(this.figures, this.ratios);
    }

    public List<Ratio> ratios() {
        return ratios;
    }

    public List<Target> targets() {
        return targets;
    }

    public List<Figure> figures() {
        return figures;
    }

    static Optional<Figure> find(List<Figure> figures, String id) {
        return figures.stream().filter(f -> f.id().equals(id) && f.ops() >= 0 && f.throughput() > 0).findFirst();
    }

    /** The platform figure ids and the references they are divided by. */
    static List<Ratio> ratios(List<Figure> figures) {
        List<Ratio> ratios = new ArrayList<>();
        ratio(figures, ratios, "issue-csr.EC_P256", "limit", "limit.issue-csr.EC_P256.BC");
        ratio(figures, ratios, "issue-csr.RSA_2048", "limit", "limit.issue-csr.RSA_2048.BC");
        serial(figures, ratios, "keygen.EC_P256", "limit.keygen.EC_P256.BC", "limit.issue-csr.EC_P256.BC");
        serial(figures, ratios, "keygen.RSA_2048", "limit.keygen.RSA_2048.BC", "limit.issue-csr.RSA_2048.BC");
        for (long size : Scenarios.MESSAGE_SIZES) {
            for (String op : Scenarios.SMIME_OPERATIONS) {
                String id = "smime." + op + "." + size;
                ratio(figures, ratios, id, "limit", "limit.cms." + Scenarios.limitOf(op) + "." + size + ".PICKED");
                ratio(figures, ratios, id, "openssl", "openssl." + op + "." + size);
            }
        }
        ratio(figures, ratios, "ldap.platform", "slapd", "ldap.slapd");
        ratio(figures, ratios, "directory.http", "slapd", "ldap.slapd");
        ratio(figures, ratios, "ldap.platform-bulk", "slapd", "ldap.slapd-bulk");
        ratio(figures, ratios, "directory.http-bulk", "slapd", "ldap.slapd-bulk");
        return ratios;
    }

    private static void ratio(List<Figure> figures, List<Ratio> out, String id, String against, String reference) {
        Optional<Figure> ours = find(figures, id);
        Optional<Figure> theirs = find(figures, reference);
        if (ours.isPresent() && theirs.isPresent() && ours.get().unit().equals(theirs.get().unit())) {
            out.add(new Ratio(id, against, reference, ours.get().throughput() / theirs.get().throughput()));
        }
    }

    /** Two steps one after the other on one core: the limit is 1 / (1/a + 1/b). */
    private static void serial(List<Figure> figures, List<Ratio> out, String id, String first, String second) {
        Optional<Figure> ours = find(figures, id);
        Optional<Figure> a = find(figures, first);
        Optional<Figure> b = find(figures, second);
        if (ours.isPresent() && a.isPresent() && b.isPresent()) {
            double limit = 1 / (1 / a.get().throughput() + 1 / b.get().throughput());
            out.add(new Ratio(id, "limit", first + " then " + second, ours.get().throughput() / limit));
        }
    }

    static Optional<Double> ratioOf(List<Ratio> ratios, String figure, String against) {
        return ratios.stream().filter(r -> r.figure().equals(figure) && r.against().equals(against))
                .map(Ratio::ratio).findFirst();
    }

    static List<Target> targets(List<Figure> figures, List<Ratio> ratios) {
        List<Target> targets = new ArrayList<>();
        ratioOf(ratios, "issue-csr.RSA_2048", "limit").ifPresent(r -> targets.add(new Target(
                "issuance from CSR, RSA-2048 CA, >= 50% of the raw CA-signature rate",
                String.format(Locale.ROOT, "%.1f%% of the 1-core limit", r * 100), r >= 0.5, r / 0.5)));
        find(figures, "issue-csr.EC_P256").ifPresent(f -> targets.add(atLeast(
                "issuance from CSR, EC P-256 CA, >= 2000/s", f, 2000)));
        find(figures, "keygen.EC_P256").ifPresent(f -> targets.add(atLeast(
                "issuance with server key generation, EC P-256, >= 2000/s", f, 2000)));
        long large = Scenarios.MESSAGE_SIZES[Scenarios.MESSAGE_SIZES.length - 1];
        for (String op : Scenarios.SMIME_OPERATIONS) {
            String id = "smime." + op + "." + large;
            ratioOf(ratios, id, "limit").ifPresent(r -> targets.add(new Target(
                    "S/MIME " + op + " 100 MB over HTTP >= 50% of the bare CMS streaming limit",
                    String.format(Locale.ROOT, "%.1f%%", r * 100), r >= 0.5, r / 0.5)));
            ratioOf(ratios, id, "openssl").ifPresent(r -> targets.add(new Target(
                    "S/MIME " + op + " 100 MB >= 2x openssl cms",
                    String.format(Locale.ROOT, "%.2fx openssl", r), r >= 2, r / 2)));
        }
        find(figures, "smime.sign-and-encrypt." + Scenarios.MESSAGE_SIZES[0]).ifPresent(f -> targets.add(atLeast(
                "S/MIME sign-and-encrypt 10 KB >= 1000/s", f, 1000)));
        // the targets are set at a million certificates: the bulk-loaded directory's figures when there are some
        String lookups = find(figures, "directory.http-bulk").isPresent() ? "-bulk" : "";
        find(figures, "directory.http" + lookups).ifPresent(f -> {
            targets.add(atLeast("directory look-up over HTTP >= 10000/s (" + f.note() + ")", f, 10_000));
            targets.add(new Target("directory look-up over HTTP p99 < 5 ms (" + f.note() + ")",
                    String.format(Locale.ROOT, "p99 %.2f ms", f.p99Ms()), f.p99Ms() < 5, 5 / f.p99Ms()));
        });
        String ldap = find(figures, "ldap.platform-bulk").isPresent() ? "-bulk" : "";
        ratioOf(ratios, "ldap.platform" + ldap, "slapd").ifPresent(r -> targets.add(new Target(
                "LDAP look-up at least as fast as slapd in the same run (" + find(figures, "ldap.platform" + ldap)
                        .map(Figure::note).orElse("") + ")",
                String.format(Locale.ROOT, "%.2fx slapd", r), r >= 1, r)));
        find(figures, "events.issued-to-directory").ifPresent(f -> targets.add(new Target(
                "issuance visible in the directory p99 < 500 ms at 200 issuances/s",
                String.format(Locale.ROOT, "p99 %.0f ms at %.0f issuances/s achieved (%s)", f.p99Ms(),
                        f.throughput(), f.note()),
                f.p99Ms() < 500 && f.throughput() >= 195, 500 / f.p99Ms())));
        return targets;
    }

    private static Target atLeast(String target, Figure figure, double required) {
        return new Target(target, String.format(Locale.ROOT, "%.0f %s", figure.throughput(), figure.unit()),
                figure.throughput() >= required, figure.throughput() / required);
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("loadAtEnd", loadAtEnd);
        json.put("mode", options.quick() ? "quick" : "full");
        json.put("threads", options.threads());
        json.put("sizes", options.sizes());
        json.put("tools", tools);
        json.put("figures", figures);
        json.put("ratios", ratios);
        json.put("targets", targets);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .findAndRegisterModules();
        mapper.writeValue(dir.resolve("results.json").toFile(), json);
        Files.writeString(dir.resolve("results.md"), markdown());
    }

    /** The Markdown the docs embed: machine, figures with ratios, targets. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine.describeLine()).append("; load at end ").append(loadAtEnd)
                .append("; mode ").append(options.quick() ? "quick" : "full").append(", ")
                .append(options.threads()).append(" client threads.\n\n");
        md.append("| figure | source | throughput | p50 ms | p95 ms | p99 ms | ops | errors | peak RSS MB |"
                + " ours/limit | ours/openssl | ours/slapd |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Figure f : figures) {
            md.append("| ").append(f.label()).append(" | ").append(f.source()).append(" | ")
                    .append(number(f.throughput())).append(' ').append(f.unit()).append(" | ")
                    .append(ms(f.p50Ms())).append(" | ").append(ms(f.p95Ms())).append(" | ").append(ms(f.p99Ms()))
                    .append(" | ").append(f.source().equals("limit") ? "" : Long.toString(f.ops())).append(" | ")
                    .append(f.source().equals("limit") ? "" : Long.toString(f.errors())).append(" | ")
                    .append(Double.isNaN(f.peakRssMb()) ? "" : String.format(Locale.ROOT, "%.0f", f.peakRssMb()))
                    .append(" | ").append(ratioText(f.id(), "limit")).append(" | ")
                    .append(ratioText(f.id(), "openssl")).append(" | ").append(ratioText(f.id(), "slapd"))
                    .append(" |\n");
        }
        md.append("\n| target | measured | met | measured / required |\n|---|---|---|---:|\n");
        for (Target t : targets) {
            md.append("| ").append(t.target()).append(" | ").append(t.measured()).append(" | ")
                    .append(t.met() ? "met" : "**missed**").append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", t.margin())).append(" |\n");
        }
        md.append("\nCPU milliseconds per operation, by process (all processes share the same cores):\n\n");
        for (Figure f : figures) {
            if (!f.cpuMsPerOp().isEmpty()) {
                md.append("- ").append(f.label()).append(": ").append(cpuText(f)).append('\n');
            }
        }
        List<String> notes = figures.stream().filter(f -> f.errors() > 0 && f.note() != null)
                .map(f -> "- " + f.label() + ": " + f.errors() + " errors, first: " + f.note()).toList();
        if (!notes.isEmpty()) {
            md.append("\nErrors:\n").append(String.join("\n", notes)).append('\n');
        }
        return md.toString();
    }

    /** The console table: one line per figure. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-52s %14s %8s %8s %8s %7s %6s %7s %7s %7s%n", "figure",
                "throughput", "p50ms", "p95ms", "p99ms", "errors", "rssMB", "/limit", "/ossl", "/slapd"));
        for (Figure f : figures) {
            out.append(String.format(Locale.ROOT, "%-52s %14s %8s %8s %8s %7s %6s %7s %7s %7s%n",
                    truncate(f.label(), 52), number(f.throughput()) + " " + f.unit(), ms(f.p50Ms()), ms(f.p95Ms()),
                    ms(f.p99Ms()), f.source().equals("limit") ? "" : Long.toString(f.errors()),
                    Double.isNaN(f.peakRssMb()) ? "" : String.format(Locale.ROOT, "%.0f", f.peakRssMb()),
                    ratioText(f.id(), "limit"), ratioText(f.id(), "openssl"), ratioText(f.id(), "slapd")));
        }
        out.append('\n');
        for (Target t : targets) {
            out.append(String.format(Locale.ROOT, "%-7s %s: %s (%.2f of required)%n", t.met() ? "MET" : "MISSED",
                    t.target(), t.measured(), t.margin()));
        }
        return out.toString();
    }

    static String cpuText(Figure f) {
        StringBuilder text = new StringBuilder();
        f.cpuMsPerOp().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> text.append(text.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f", e.getValue())));
        return text.toString();
    }

    private String ratioText(String id, String against) {
        return ratioOf(ratios, id, against).map(r -> String.format(Locale.ROOT, "%.2f", r)).orElse("");
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
