package dev.smimepki.directory.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.directory.DirectoryConfig;

/**
 * Certificates the directory parsed, by fingerprint, so that a look-up or a chain verification does not parse the
 * same DER again: parsing was the largest part of both. A fingerprint is the hash of the DER, so an entry never goes
 * stale; the most recently used are kept.
 */
@ApplicationScoped
public class ParsedCertificates {
    /** How many are kept at least: a few KB each, in a 256 MB heap. */
    private static final int KEPT = 2_000;

    private final Map<String, Certificate> parsed;

    /** Keeps as many as the look-up cache keeps mailboxes, so that a cached look-up finds its certificates parsed. */
    ParsedCertificates(DirectoryConfig config) {
        int kept = Math.max(KEPT, config.lookupCacheMailboxes());
        parsed = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Certificate> eldest) {
                return size() > kept;
            }
        });
    }

    /** The certificate with this fingerprint, parsed from {@code der} (read only when it is not kept). */
    public Certificate of(String fingerprintSha256, Supplier<byte[]> der) {
        Certificate certificate = parsed.get(fingerprintSha256);
        if (certificate == null) {
            certificate = Certificate.of(der.get());
            parsed.put(fingerprintSha256, certificate);
        }
        return certificate;
    }
}
