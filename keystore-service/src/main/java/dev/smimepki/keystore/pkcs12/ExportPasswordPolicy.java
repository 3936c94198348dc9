package dev.smimepki.keystore.pkcs12;

import java.util.ArrayList;
import java.util.List;

import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * The password of an export protects the private key wherever the file goes, offline and for ever: refuse the ones
 * a guess finds (empty, short, one character repeated, too few distinct characters).
 */
final class ExportPasswordPolicy {
    static final String CODE = "weak-password";
    private static final int MINIMUM_DISTINCT_CHARACTERS = 5;

    private ExportPasswordPolicy() {
    }

    static void require(String password, int minimumLength) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (password == null || password.isBlank()) {
            violations.add(new Problem.Violation("password", "password.present", "a password is required"));
        } else {
            int length = password.codePointCount(0, password.length());
            if (length < minimumLength) {
                violations.add(new Problem.Violation("password", "password.length",
                        "the password must have at least " + minimumLength + " characters"));
            }
            if (password.codePoints().distinct().count() < MINIMUM_DISTINCT_CHARACTERS) {
                violations.add(new Problem.Violation("password", "password.variety",
                        "the password must use at least " + MINIMUM_DISTINCT_CHARACTERS + " different characters"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, CODE, "the password is too weak to protect a"
                    + " private key", violations, null);
        }
    }
}
