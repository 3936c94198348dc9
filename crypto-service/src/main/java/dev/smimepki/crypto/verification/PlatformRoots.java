package dev.smimepki.crypto.verification;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.crypto.CryptoConfig;

/**
 * The roots of the platform's own CAs, read from ca-service, refreshed once a minute and when a chain does not lead to
 * the known ones (at most every few seconds): mail signed with a
 * certificate this platform issued verifies without anyone copying root files around. While ca-service cannot be
 * reached the last known roots stay in use.
 */
@ApplicationScoped
class PlatformRoots {
    private static final Logger LOG = Logger.getLogger(PlatformRoots.class);
    private static final Duration REFRESH = Duration.ofMinutes(1);

    private final CaServiceApi ca;
    private final boolean enabled;
    private List<Certificate> roots = List.of();
    private Instant fetchedAt = Instant.MIN;
    private boolean failing;

    PlatformRoots(@RestClient CaServiceApi ca, CryptoConfig config) {
        this.ca = ca;
        this.enabled = config.trustPlatformCas();
    }

    synchronized List<Certificate> current() {
        if (enabled && Instant.now().isAfter(fetchedAt.plus(REFRESH))) {
            fetchedAt = Instant.now();
            refresh();
        }
        return roots;
    }

    /** Refreshes now unless the last fetch is younger than {@code age}; true when the roots changed. */
    synchronized boolean refreshIfOlderThan(Duration age) {
        if (!enabled || Instant.now().isBefore(fetchedAt.plus(age))) {
            return false;
        }
        List<String> before = fingerprints(roots);
        fetchedAt = Instant.now();
        refresh();
        return !before.equals(fingerprints(roots));
    }

    private static List<String> fingerprints(List<Certificate> certificates) {
        return certificates.stream().map(Certificate::fingerprintSha256).toList();
    }

    private void refresh() {
        try {
            Map<String, Certificate> byFingerprint = new LinkedHashMap<>();
            for (CaServiceApi.CaEntry entry : ca.list()) {
                List<Certificate> chain = CertificateChain.fromPem(ca.chain(entry.id())).certificates();
                Certificate root = chain.get(chain.size() - 1);
                byFingerprint.putIfAbsent(root.fingerprintSha256(), root);
            }
            roots = List.copyOf(byFingerprint.values());
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("cannot read the platform's CA roots from ca-service, keeping %d known: %s", roots.size(),
                        e.getMessage());
            }
            failing = true;
        }
    }
}
