package dev.smimepki.bench.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CpuAccountingTest {

    @Test
    void parsesUtimePlusStimeEvenWithSpacesInTheCommandName() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 1234 0 0";
        assertEquals(3000.0, CpuAccounting.parseStat(stat));
    }

    @Test
    void measuresTheDriversOwnCpuAndDividesPerOperation() {
        CpuAccounting accounting = CpuAccounting.find(Map.of());
        Map<String, Double> before = accounting.snapshot();
        // 300 ms of this thread's CPU, however long a busy machine takes to give it
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + 300_000_000L;
        long spin = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            spin += Long.numberOfTrailingZeros(spin + 1);
        }
        Map<String, Double> per = CpuAccounting.perOperation(before, accounting.snapshot(), 10);
        assertTrue(per.get("driver") >= 15, "300 ms of spinning over 10 operations: " + per + " " + spin);
        assertEquals(Map.of("x", 0.5), CpuAccounting.perOperation(Map.of("x", 1.0), Map.of("x", 6.0), 10));
    }
}
