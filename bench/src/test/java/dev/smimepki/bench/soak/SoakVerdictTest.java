package dev.smimepki.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SoakVerdictTest {
    private static final List<SoakVerdict.Operation> HELD_OPS = List
            .of(new SoakVerdict.Operation("sign", 3000, 2990, 0, null));
    private static final List<SoakVerdict.Minute> HELD_MINUTES = List.of(new SoakVerdict.Minute(0, 300, 299, 0));

    @Test
    void growthNeedsBothTheShareAndTheMegabytes() {
        assertFalse(SoakVerdict.grew(100, 130), "+30 MB, +30 %: under 32 MB");
        assertFalse(SoakVerdict.grew(400, 440), "+40 MB, +10 %: under 20 %");
        assertTrue(SoakVerdict.grew(100, 133), "+33 MB, +33 %");
        assertTrue(SoakVerdict.grew(200, 250), "+50 MB, +25 %");
        assertFalse(SoakVerdict.grew(200, 240), "+40 MB, exactly 20 % is not more than 20 %");
        assertFalse(SoakVerdict.grew(300, 200), "shrinking is fine");
        assertTrue(SoakVerdict.grew(Double.NaN, 100), "a figure not read is never held");
    }

    @Test
    void aRunWithoutErrorsAtItsRateAndFlatMemoryHolds() {
        List<String> failures = SoakVerdict.failures(HELD_OPS, HELD_MINUTES,
                List.of(new SoakVerdict.Memory("crypto", "heap after forced GC", 40, 45),
                        new SoakVerdict.Memory("crypto", "RSS", 400, 430)));
        assertEquals(List.of(), failures);
    }

    @Test
    void oneErrorFailsNamingTheOperationAndTheFirstError() {
        List<String> failures = SoakVerdict.failures(
                List.of(new SoakVerdict.Operation("decrypt", 3000, 3000, 1, "IOException: answered 503")),
                HELD_MINUTES, List.of());
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).startsWith("decrypt: 1 errors"), failures.get(0));
        assertTrue(failures.get(0).contains("answered 503"), failures.get(0));
    }

    @Test
    void fallingBehindTheScheduleFails() {
        // 95 % of the due calls per operation over the window, 90 % per minute
        assertEquals(List.of(), SoakVerdict.failures(List.of(new SoakVerdict.Operation("ocsp", 1000, 950, 0, null)),
                List.of(new SoakVerdict.Minute(0, 1000, 900, 0)), List.of()));
        List<String> failures = SoakVerdict.failures(
                List.of(new SoakVerdict.Operation("ocsp", 1000, 949, 0, null)),
                List.of(new SoakVerdict.Minute(4, 1000, 899, 0)), List.of());
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0).contains("949 of 1000"), failures.get(0));
        assertTrue(failures.get(1).startsWith("minute 5:"), failures.get(1));
    }

    @Test
    void memoryGrowthAndUnreadMemoryFail() {
        List<String> failures = SoakVerdict.failures(HELD_OPS, HELD_MINUTES,
                List.of(new SoakVerdict.Memory("directory", "heap after forced GC", 60, 100),
                        new SoakVerdict.Memory("ca", "RSS", Double.NaN, 300)));
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0).contains("directory: heap after forced GC grew from 60.0 MB to 100.0 MB"),
                failures.get(0));
        assertTrue(failures.get(1).contains("ca: RSS not measured"), failures.get(1));
    }
}
