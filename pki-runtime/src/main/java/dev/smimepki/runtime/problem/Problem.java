package dev.smimepki.runtime.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail as served with {@code application/problem+json}.
 *
 * @param type URI naming the kind of problem; {@code urn:smimepki:problem:<code>}
 * @param title short, stable summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what is wrong with this request, for a person; never a stack trace or class name
 * @param code the stable machine-readable problem code (the last part of {@code type})
 * @param errors for validation and policy failures, each failed check
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code, List<Violation> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(int status, String code, String title, String detail, List<Violation> errors) {
        return new Problem("urn:smimepki:problem:" + code, title, status, detail, code, errors);
    }

    /**
     * One failed check.
     *
     * @param field the request field or certificate element concerned, when there is one
     * @param check stable name of the check, e.g. {@code keyUsage.present}
     * @param message what failed, for a person
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Violation(String field, String check, String message) {
    }
}
