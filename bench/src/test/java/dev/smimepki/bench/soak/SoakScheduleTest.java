package dev.smimepki.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class SoakScheduleTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void callsAreDueAtFixedIntervalsFromTheStart() {
        SoakSchedule.Rate rate = new SoakSchedule.Rate("x", 4, 100, null);
        assertEquals(0, rate.dueNanos(0));
        assertEquals(250_000_000L, rate.dueNanos(1));
        assertEquals(10 * SECOND, rate.dueNanos(40));
        SoakSchedule.Rate slow = new SoakSchedule.Rate("y", 0.1, 2.3, null);
        assertEquals(10 * SECOND, slow.dueNanos(1));
        assertEquals(600 * SECOND, slow.dueNanos(60));
    }

    @Test
    void countsTheCallsDueInAWindowWithoutGapsOrOverlaps() {
        SoakSchedule.Rate rate = new SoakSchedule.Rate("x", 3, 100, null);
        // due at 0, 1/3, 2/3, 1, ...: [0, 1 s) holds 3, [1 s, 2 s) 3, and the two halves add up to the whole
        assertEquals(3, rate.dueBetween(0, SECOND));
        assertEquals(3, rate.dueBetween(SECOND, 2 * SECOND));
        assertEquals(180, rate.dueBetween(0, 60 * SECOND));
        long split = 12_345_678_901L;
        assertEquals(rate.dueBetween(0, 60 * SECOND),
                rate.dueBetween(0, split) + rate.dueBetween(split, 60 * SECOND));
        assertEquals(1, rate.dueBetween(1, SECOND / 3 + 2)); // only the call due at ceil(1/3 s)
        SoakSchedule.Rate tenth = new SoakSchedule.Rate("y", 0.1, 2.3, null);
        assertEquals(6, tenth.dueBetween(60 * SECOND, 120 * SECOND));
        assertEquals(60, tenth.dueBetween(60 * SECOND, 660 * SECOND));
    }

    @Test
    void theMixAsksForATenthOfWhatTheQuickBenchMeasured() {
        SoakSchedule schedule = SoakSchedule.of(10, Duration.ofSeconds(60), 1);
        assertEquals(0.10, schedule.machineShare(), 0.005);
        assertEquals(34.875, schedule.perSecond(), 1e-9);
        assertEquals(13, schedule.rates().size());
        for (SoakSchedule.Rate rate : schedule.rates()) {
            assertTrue(rate.machineShare() < 0.025, rate.operation() + " alone takes under 2.5 % of the machine");
        }
        SoakSchedule fourfold = SoakSchedule.of(10, Duration.ofSeconds(60), 4);
        assertEquals(4 * schedule.machineShare(), fourfold.machineShare(), 1e-9);
        assertEquals(4 * schedule.perSecond(), fourfold.perSecond(), 1e-9);
    }

    @Test
    void measuredMinutesFollowTheWarmup() {
        SoakSchedule schedule = SoakSchedule.of(10, Duration.ofSeconds(60), 1);
        assertEquals(10, schedule.minutes());
        assertEquals(60 * SECOND, schedule.measureStartNanos());
        assertEquals(120 * SECOND, schedule.minuteStartNanos(1));
        assertEquals(660 * SECOND, schedule.minuteStartNanos(10));
        // 34.875 calls/s: 2092.5 a minute; the modern export (one call every 40 s) is due twice in [240 s, 300 s)
        assertEquals(2093, schedule.dueBetween(schedule.minuteStartNanos(3), schedule.minuteStartNanos(4)));
        assertEquals(20925, schedule.dueBetween(schedule.minuteStartNanos(0), schedule.minuteStartNanos(10)));
    }

    @Test
    void leavesOperationsOutButNotThoseOthersFeedOn() {
        SoakSchedule schedule = SoakSchedule.of(1, Duration.ofSeconds(30), 1).without("pkcs12-modern");
        assertEquals(12, schedule.rates().size());
        assertEquals(34.85, schedule.perSecond(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> schedule.without("revoke"));
    }

    @Test
    void refusesSchedulesThatCannotBeJudged() {
        assertThrows(IllegalArgumentException.class, () -> SoakSchedule.of(1, Duration.ofSeconds(10), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SoakSchedule(SoakSchedule.MIX, Duration.ZERO, Duration.ofSeconds(90)));
        assertThrows(IllegalArgumentException.class,
                () -> new SoakSchedule(List.of(), Duration.ZERO, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new SoakSchedule.Rate("x", 0, 1, null));
    }
}
