package dev.smimepki.crypto.verification;

import java.time.Instant;

import dev.smimepki.crypto.verification.VerificationReport.Revocation;

/**
 * The revocation status of a signer certificate as the report shows it.
 *
 * @param state {@code good}, {@code revoked} or {@code unknown} (API.md)
 * @param detail one public sentence: who said so, or why nobody could
 * @param revokedAt when revoked, the revocation time the CA gave
 * @param reason when revoked, the RFC 5280 reason name ({@code keyCompromise}, ...)
 */
record RevocationStatus(String state, String detail, Instant revokedAt, String reason) {

    static RevocationStatus good(String detail) {
        return new RevocationStatus(Revocation.GOOD, detail, null, null);
    }

    static RevocationStatus revoked(Instant at, String reason, String source) {
        return new RevocationStatus(Revocation.REVOKED, "revoked on " + at + ", reason " + reason + ", according to "
                + source, at, reason);
    }

    static RevocationStatus unknown(String detail) {
        return new RevocationStatus(Revocation.UNKNOWN, detail, null, null);
    }

    boolean isRevoked() {
        return Revocation.REVOKED.equals(state);
    }

    /** The problem sentence of a revoked signer. */
    String problem() {
        return "the signer's certificate was revoked on " + revokedAt + " (reason " + reason + ")";
    }

    RevocationStatus withDetail(String newDetail) {
        return new RevocationStatus(state, newDetail, revokedAt, reason);
    }
}
