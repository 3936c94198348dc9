package dev.smimepki.directory.lookup;

import java.time.Instant;

import dev.smimepki.directory.store.DirectoryCertificate;

/** API.md {@code status}: derived at read time, so a certificate expires without anyone writing to the database. */
public enum CertificateStatus {
    valid,
    revoked,
    expired;

    static CertificateStatus of(DirectoryCertificate stored, Instant now) {
        if (stored.revokedAt != null) {
            return revoked;
        }
        return now.isAfter(stored.notAfter) ? expired : valid;
    }
}
