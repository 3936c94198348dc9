package dev.smimepki.runtime.problem;

import java.util.List;

/**
 * A domain failure with a public message and a stable code; the HTTP status comes from the code's {@link Kind}.
 * The optional cause is logged, never serialised.
 */
public class ProblemException extends RuntimeException {
    /** How a problem maps to HTTP: the explicit status table of API.md. */
    public enum Kind {
        MALFORMED(400, "Malformed request"),
        UNAUTHENTICATED(401, "Authentication required"),
        FORBIDDEN(403, "Forbidden"),
        NOT_FOUND(404, "Not found"),
        CONFLICT(409, "Conflict with the current state"),
        TOO_LARGE(413, "Request too large"),
        REFUSED_BY_POLICY(422, "Refused by policy"),
        TOO_MANY_REQUESTS(429, "Too many requests"),
        DEPENDENCY_UNAVAILABLE(503, "A dependency is unavailable");

        final int status;
        final String title;

        Kind(int status, String title) {
            this.status = status;
            this.title = title;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String code;
    private final List<Problem.Violation> violations;

    public ProblemException(Kind kind, String code, String detail) {
        this(kind, code, detail, List.of(), null);
    }

    public ProblemException(Kind kind, String code, String detail, List<Problem.Violation> violations,
            Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.code = code;
        this.violations = List.copyOf(violations);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }

    public Problem toProblem() {
        return Problem.of(kind.status, code, kind.title, getMessage(), violations);
    }
}
