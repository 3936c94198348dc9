package dev.smimepki.bench.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.smimepki.bench.driver.Figure;
import dev.smimepki.bench.driver.LimitsAccess;

/** The JMH harness works: annotation processing listed every benchmark, and one tiny in-process run measures. */
class JmhHarnessTest {

    @Test
    void annotationProcessingListedEveryBenchmark() throws Exception {
        try (InputStream list = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(list, "jmh-generator-annprocess did not run");
            String text = new String(list.readAllBytes(), StandardCharsets.UTF_8);
            for (Class<?> benchmark : new Class<?>[]{CaSignatureBenchmark.class, KeyGenerationBenchmark.class,
                    BulkCryptoBenchmark.class, CmsStreamingBenchmark.class}) {
                assertTrue(text.contains(benchmark.getName()), benchmark.getName() + " missing");
            }
        }
    }

    @Test
    void aTinyInProcessRunOfTheCmsStreamProducesAThroughput() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(CmsStreamingBenchmark.class.getName())
                .param("size", "10000").param("operation", "SIGN_AND_ENCRYPT").param("cmsImpl", "PICKED")
                .forks(0).warmupIterations(0).measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300)).shouldFailOnError(true).build()).run();
        assertEquals(1, results.size());
        RunResult result = results.iterator().next();
        double score = result.getPrimaryResult().getScore();
        // that it measured something, not how fast: speed is never asserted by a unit test (a loaded machine runs slow)
        assertTrue(score > 0 && Double.isFinite(score), "a 10 KB sign+encrypt stream was measured: " + score);
        Figure figure = LimitsAccess.toFigure(result.getParams().getBenchmark(),
                Map.of("size", "10000", "operation", "SIGN_AND_ENCRYPT", "cmsImpl", "PICKED"), score);
        assertEquals("limit.cms.SIGN_AND_ENCRYPT.10000.PICKED", figure.id());
        assertEquals("ops/s", figure.unit());
    }

    @Test
    void bulkScoresBecomeMegabytesPerSecond() {
        Figure sha = LimitsAccess.toFigure(BulkCryptoBenchmark.class.getName() + ".sha256", Map.of("impl", "JDK"),
                1000);
        assertEquals("limit.sha256.JDK", sha.id());
        assertEquals("MB/s", sha.unit());
        assertEquals(1048.576, sha.throughput(), 1e-6);
        Figure large = LimitsAccess.toFigure(CmsStreamingBenchmark.class.getName() + ".stream",
                Map.of("size", "100000000", "operation", "SIGN", "cmsImpl", "BC"), 5);
        assertEquals("MB/s", large.unit());
        assertEquals(500, large.throughput(), 1e-9);
    }
}
