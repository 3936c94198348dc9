package dev.smimepki.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ServiceMemoryTest {
    /** Lines as a Quarkus service's /q/metrics prints them (Micrometer, Prometheus text format). */
    private static final String METRICS = String.join("\n",
            "# HELP jvm_gc_live_data_size_bytes Size of long-lived heap memory pool after reclamation",
            "# TYPE jvm_gc_live_data_size_bytes gauge",
            "jvm_gc_live_data_size_bytes 3.1457280E7",
            "jvm_gc_live_data_size_bytes_other{x=\"1\"} 99",
            "jvm_gc_max_data_size_bytes 2.68435456E8",
            "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 7.300192E7",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Survivor Space\"} 1000000.0",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2.0E7",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 4000000.0", "");

    @Test
    void sumsOneMetricAndOnlyTheSamplesWithTheLabel() {
        assertEquals(25_000_000, ServiceMemory.sum(METRICS, "jvm_memory_used_bytes", "area=\"heap\""), 1e-6);
        assertEquals(31_457_280, ServiceMemory.sum(METRICS, "jvm_gc_live_data_size_bytes", null), 1e-6);
        assertTrue(Double.isNaN(ServiceMemory.sum(METRICS, "jvm_threads_live_threads", null)));
    }

    @Test
    void theMedianIgnoresFiguresNotRead() {
        assertEquals(2, Soak.median(new double[]{3, 1, 2}), 1e-9);
        assertEquals(2.5, Soak.median(new double[]{4, 1, Double.NaN, 2, 3}), 1e-9);
        assertTrue(Double.isNaN(Soak.median(new double[]{Double.NaN})));
    }

    @Test
    void soakArgumentsAreTakenOutAndTheRestLeftForTheBenchOptions() {
        SoakMain.Arguments arguments = SoakMain
                .parse(List.of("--soak", "10", "--ca", "http://127.0.0.1:1", "--rate-scale", "0.5", "--warmup", "30"));
        assertEquals(10, arguments.minutes());
        assertEquals(Duration.ofSeconds(30), arguments.warmup());
        assertEquals(0.5, arguments.scale(), 1e-9);
        assertEquals(List.of("--ca", "http://127.0.0.1:1"), arguments.rest());
        assertEquals(Duration.ofSeconds(60), SoakMain.parse(List.of("--soak", "1")).warmup());
    }
}
