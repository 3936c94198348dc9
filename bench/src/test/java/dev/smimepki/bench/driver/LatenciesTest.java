package dev.smimepki.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void nearestRankPercentilesOfOneToHundredInAnyOrder() {
        List<Long> values = new ArrayList<>();
        for (long v = 1; v <= 100; v++) {
            values.add(v);
        }
        Collections.shuffle(values, new Random(7));
        Latencies latencies = new Latencies();
        values.forEach(latencies::record);
        assertEquals(50, latencies.percentile(50));
        assertEquals(95, latencies.percentile(95));
        assertEquals(99, latencies.percentile(99));
        assertEquals(100, latencies.percentile(100));
        assertEquals(1, latencies.percentile(0.5));
        assertEquals(100, latencies.count());
    }

    @Test
    void aSingleSlowCallDominatesP99OfFewSamplesButNotP50() {
        Latencies latencies = new Latencies();
        for (int i = 0; i < 9; i++) {
            latencies.record(1_000_000);
        }
        latencies.record(900_000_000);
        assertEquals(1.0, latencies.percentileMillis(50));
        assertEquals(900.0, latencies.percentileMillis(99));
    }

    @Test
    void mergesPerThreadRecordersAndGrowsPastTheInitialCapacity() {
        Latencies total = new Latencies();
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 3000; i++) {
            a.record(i);
            b.record(10_000 + i);
        }
        total.addAll(a);
        total.addAll(b);
        assertEquals(6000, total.count());
        assertEquals(2999, total.percentile(50));
        assertEquals(12_999, total.percentile(100));
        // recording after a percentile re-sorts
        total.record(1_000_000);
        assertEquals(1_000_000, total.percentile(100));
    }

    @Test
    void refusesNonsense() {
        Latencies latencies = new Latencies();
        assertThrows(IllegalStateException.class, () -> latencies.percentile(50));
        assertTrue(Double.isNaN(latencies.percentileMillis(50)));
        assertThrows(IllegalArgumentException.class, () -> latencies.record(-1));
        latencies.record(5);
        assertThrows(IllegalArgumentException.class, () -> latencies.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> latencies.percentile(100.5));
    }

    @Test
    void loadRunnerCountsFailuresApartAndStopsAtMaxOps() {
        Figure figure = LoadRunner.run("t", "t", 4, java.time.Duration.ofSeconds(30), 200, 0, i -> {
            if (i % 10 == 0) {
                throw new IllegalStateException("every tenth fails");
            }
        });
        assertEquals(180, figure.ops());
        assertEquals(20, figure.errors());
        assertEquals("IllegalStateException: every tenth fails", figure.note());
        assertEquals("ops/s", figure.unit());
        assertTrue(figure.throughput() > 0);
    }
}
