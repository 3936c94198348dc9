package dev.smimepki.core;

import java.util.List;

/** Well-formed input that breaks one or more platform rules (weak key, SHA-1 signature...): HTTP 422. */
public final class PolicyViolation extends PkiException {
    public static final String CODE = "policy-violation";
    private static final long serialVersionUID = 1L;

    private final List<String> violations;

    public PolicyViolation(List<String> violations) {
        super(String.join("; ", requireNonEmpty(violations)), null);
        this.violations = List.copyOf(violations);
    }

    public PolicyViolation(String violation) {
        this(List.of(violation));
    }

    /** Every rule that was broken, one public message each, in the order they were checked. */
    public List<String> violations() {
        return violations;
    }

    @Override
    public String code() {
        return CODE;
    }

    private static List<String> requireNonEmpty(List<String> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a policy violation needs at least one violated rule");
        }
        return violations;
    }
}
