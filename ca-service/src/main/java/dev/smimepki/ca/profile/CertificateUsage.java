package dev.smimepki.ca.profile;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;

/** What a subscriber certificate is for: signing mail, being encrypted to, or both. */
public enum CertificateUsage {
    DUAL("dual", true, true),
    SIGNING("signing", true, false),
    ENCRYPTION("encryption", false, true);

    private final String wireName;
    private final boolean signs;
    private final boolean encrypts;

    CertificateUsage(String wireName, boolean signs, boolean encrypts) {
        this.wireName = wireName;
        this.signs = signs;
        this.encrypts = encrypts;
    }

    public String wireName() {
        return wireName;
    }

    public boolean signs() {
        return signs;
    }

    public boolean encrypts() {
        return encrypts;
    }

    /** The usage for an API name; absent means {@link #DUAL}. */
    public static CertificateUsage fromName(String name) {
        if (name == null) {
            return DUAL;
        }
        for (CertificateUsage usage : values()) {
            if (usage.wireName.equals(name)) {
                return usage;
            }
        }
        String valid = Arrays.stream(values()).map(CertificateUsage::wireName).collect(Collectors.joining(", "));
        throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-usage", "unknown usage; valid: " + valid,
                List.of(new Problem.Violation("usage", "usage.known", "valid: " + valid)), null);
    }
}
