package dev.smimepki.fuzz;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.PolicyViolation;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * The one rule of every fuzz target: hostile input may be refused only with an exception the ProblemMapper turns into
 * a 4xx problem. Anything else (a 5xx problem, an NPE, a ClassCastException or IllegalArgumentException leaking from
 * BouncyCastle, OutOfMemoryError, StackOverflowError) escapes to Jazzer as a finding.
 */
public final class ClientErrors {
    private ClientErrors() {
    }

    /** Runs the parse; returns normally when it succeeded or was refused as a client error. */
    public static void only(Runnable parse) {
        try {
            parse.run();
        } catch (PkiFormatException | PolicyViolation refused) {
            // 400 malformed-input, 422 policy-violation
        } catch (ProblemException problem) {
            if (problem.kind().status() >= 500) {
                throw new AssertionError("hostile input answered with a " + problem.kind().status() + " problem "
                        + problem.code(), problem);
            }
        }
    }
}
