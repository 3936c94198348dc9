package dev.smimepki.bench.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.smimepki.bench.limits.BulkCryptoBenchmark;
import dev.smimepki.bench.limits.CaSignatureBenchmark;
import dev.smimepki.bench.limits.CmsStreamingBenchmark;
import dev.smimepki.bench.limits.KeyGenerationBenchmark;

/**
 * Runs the JMH benchmarks (each in its own forked JVM, one thread: figures are per core) and turns each result into a
 * {@link Figure} with a stable id such as {@code limit.issue-csr.EC_P256.BC}.
 */
public final class Limits {
    private Limits() {
    }

    public static List<Figure> run(Options.Sizes sizes, boolean quick, Path jmhJson) throws Exception {
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(CaSignatureBenchmark.class.getName())
                .include(KeyGenerationBenchmark.class.getName())
                .include(BulkCryptoBenchmark.class.getName())
                .include(CmsStreamingBenchmark.class.getName())
                .forks(sizes.jmhForks()).threads(1)
                .warmupIterations(sizes.jmhWarmup()).warmupTime(TimeValue.milliseconds(sizes.jmhTime().toMillis()))
                .measurementIterations(sizes.jmhIterations())
                .measurementTime(TimeValue.milliseconds(sizes.jmhTime().toMillis()))
                .shouldFailOnError(true)
                .result(jmhJson.toString()).resultFormat(ResultFormatType.JSON);
        if (quick) {
            // the quick run measures CMS only with the providers picked per operation and key generation only in
            // BouncyCastle (the platform's provider)
            builder.param("cmsImpl", "PICKED");
            builder.param("keygenImpl", "BC");
        }
        Collection<RunResult> results = new Runner(builder.build()).run();
        List<Figure> figures = new ArrayList<>();
        for (RunResult result : results) {
            figures.add(toFigure(result.getParams().getBenchmark(), paramsOf(result), result.getPrimaryResult()
                    .getScore()));
        }
        return figures;
    }

    private static Map<String, String> paramsOf(RunResult result) {
        Map<String, String> params = new java.util.TreeMap<>();
        for (String key : result.getParams().getParamsKeys()) {
            params.put(key, result.getParams().getParam(key));
        }
        return params;
    }

    /** Maps one JMH score (ops/s) to a figure; bulk and CMS scores become MB/s. */
    static Figure toFigure(String benchmark, Map<String, String> params, double opsPerSecond) {
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String impl = params.getOrDefault("impl",
                params.getOrDefault("cmsImpl", params.getOrDefault("keygenImpl", "")));
        if (benchmark.contains(CaSignatureBenchmark.class.getSimpleName())) {
            String key = params.get("caKey");
            return Figure.limit("limit.issue-csr." + key + "." + impl,
                    "limit: issue from CSR, " + key + " CA, " + impl, "ops/s", opsPerSecond,
                    "JMH, 1 thread");
        }
        if (benchmark.contains(KeyGenerationBenchmark.class.getSimpleName())) {
            String key = params.get("key");
            return Figure.limit("limit.keygen." + key + "." + impl, "limit: key generation " + key + ", " + impl,
                    "ops/s",
                    opsPerSecond, "JMH, 1 thread");
        }
        if (benchmark.contains(BulkCryptoBenchmark.class.getSimpleName())) {
            double mbPerSecond = opsPerSecond * BulkCryptoBenchmark.CHUNK / 1e6;
            String what = method.equals("sha256") ? "SHA-256" : "AES-256-CBC";
            return Figure.limit("limit." + method + "." + impl, "limit: " + what + ", " + impl, "MB/s", mbPerSecond,
                    "JMH, 1 thread, 1 MiB per call");
        }
        if (benchmark.contains(CmsStreamingBenchmark.class.getSimpleName())) {
            long size = Long.parseLong(params.get("size"));
            String operation = params.get("operation");
            // small messages are counted per message (the target is in messages/s), large ones in MB/s
            boolean small = size < Scenarios.LARGE_UNIT_FROM;
            return Figure.limit("limit.cms." + operation + "." + size + "." + impl,
                    "limit: CMS " + operation.toLowerCase(java.util.Locale.ROOT).replace("_and_", "+") + " "
                            + Sizes.label(size) + ", " + impl,
                    small ? "ops/s" : "MB/s", small ? opsPerSecond : opsPerSecond * size / 1e6,
                    "JMH, 1 thread, -Xmx32m");
        }
        throw new IllegalArgumentException("unknown benchmark " + benchmark);
    }

    /** Human sizes of the message sizes used here. */
    public static final class Sizes {
        private Sizes() {
        }

        public static String label(long bytes) {
            if (bytes >= 1_000_000 && bytes % 1_000_000 == 0) {
                return bytes / 1_000_000 + " MB";
            }
            if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
                return bytes / (1 << 20) + " MiB";
            }
            if (bytes >= 1000 && bytes % 1000 == 0) {
                return bytes / 1000 + " KB";
            }
            if (bytes >= 1024 && bytes % 1024 == 0) {
                return bytes / 1024 + " KiB";
            }
            return bytes + " B";
        }
    }
}
