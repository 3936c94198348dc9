package dev.smimepki.ca.issuance;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;

/** Where a certificate stands now; revoked wins over expired. */
public enum CertificateStatus {
    VALID("valid"),
    REVOKED("revoked"),
    EXPIRED("expired");

    private final String wireName;

    CertificateStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static CertificateStatus of(IssuedCertificate certificate, Instant now) {
        if (certificate.isRevoked()) {
            return REVOKED;
        }
        return certificate.notAfter.isAfter(now) ? VALID : EXPIRED;
    }

    /** The status for a query parameter; absent means any. */
    static CertificateStatus fromName(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        for (CertificateStatus status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        String valid = Arrays.stream(values()).map(CertificateStatus::wireName).collect(Collectors.joining(", "));
        throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-status", "unknown status; valid: " + valid,
                List.of(new Problem.Violation("status", "status.known", "valid: " + valid)), null);
    }
}
