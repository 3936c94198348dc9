package dev.smimepki.bench.driver;

import java.util.Map;

/** Lets the JMH harness test in another package reach {@link Limits#toFigure}. */
public final class LimitsAccess {
    private LimitsAccess() {
    }

    public static Figure toFigure(String benchmark, Map<String, String> params, double score) {
        return Limits.toFigure(benchmark, params, score);
    }
}
