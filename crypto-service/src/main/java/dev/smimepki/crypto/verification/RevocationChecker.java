package dev.smimepki.crypto.verification;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.crypto.verification.RevocationSource.Answer;
import dev.smimepki.crypto.verification.RevocationSource.Unusable;

/**
 * The revocation status of a signer certificate: the CA's OCSP responder first (fresh, and cheap for the CA), its CRL
 * when OCSP gives no usable answer, and {@code unknown} with the reasons when neither does. Answers are cached per
 * issuer and serial until their nextUpdate (capped), so a busy mailbox does not ask the CA for every message; an
 * {@code unknown} is remembered briefly, so an unreachable CA does not add its timeouts to every verification.
 */
final class RevocationChecker {
    private final boolean enabled;
    private final OcspClient ocsp;
    private final CrlClient crl;
    private final Clock clock;
    private final Duration defaultCacheTime;
    private final Duration maxCacheTime;
    private final Duration unknownCacheTime;
    private final ExpiringCache<String, RevocationStatus> cache;

    RevocationChecker(RemoteFetch fetch, Settings settings, Clock clock) {
        this.enabled = settings.enabled();
        this.ocsp = new OcspClient(fetch, clock);
        this.crl = new CrlClient(fetch, clock, settings.maxCrlBytes());
        this.clock = clock;
        this.defaultCacheTime = settings.defaultCacheTime();
        this.maxCacheTime = settings.maxCacheTime();
        this.unknownCacheTime = settings.unknownCacheTime();
        this.cache = new ExpiringCache<>(settings.cacheSize(), clock);
    }

    /** A checker that never looks anything up and says so: for plain tests and for {@code enabled=false}. */
    static RevocationChecker disabled() {
        return new RevocationChecker(null, new Settings(false, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0),
                Clock.systemUTC());
    }

    /**
     * @param certificate the signer certificate
     * @param issuer the certificate that issued it, from a validated chain
     */
    RevocationStatus check(Certificate certificate, Certificate issuer) {
        if (!enabled) {
            return RevocationStatus.unknown("revocation is not checked: pki.crypto.revocation.enabled is false");
        }
        String key = issuer.fingerprintSha256() + ':' + certificate.serialHex();
        RevocationStatus cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        List<String> failures = new ArrayList<>();
        Answer answer = ask(certificate, issuer, failures);
        Instant now = clock.instant();
        if (answer == null) {
            RevocationStatus unknown = RevocationStatus.unknown(failures.isEmpty()
                    ? "the certificate names no OCSP responder and no CRL distribution point (http), so its "
                            + "revocation status cannot be checked"
                    : "no usable revocation answer: " + String.join("; ", failures));
            cache.put(key, unknown, now.plus(unknownCacheTime));
            return unknown;
        }
        RevocationStatus status = failures.isEmpty()
                ? answer.status()
                : answer.status().withDetail(answer.status().detail() + " (before that: " + String.join("; ",
                        failures) + ")");
        Instant until = answer.validUntil() == null ? now.plus(defaultCacheTime) : answer.validUntil();
        if (until.isAfter(now.plus(maxCacheTime))) {
            until = now.plus(maxCacheTime);
        }
        cache.put(key, status, until);
        return status;
    }

    private Answer ask(Certificate certificate, Certificate issuer, List<String> failures) {
        for (URI url : CertificateUrls.ocsp(certificate)) {
            try {
                return ocsp.query(url, certificate, issuer);
            } catch (Unusable e) {
                failures.add(e.getMessage());
            }
        }
        for (URI url : CertificateUrls.crl(certificate)) {
            try {
                return crl.query(url, certificate, issuer);
            } catch (Unusable e) {
                failures.add(e.getMessage());
            }
        }
        return null;
    }

    /**
     * @param enabled whether anything is looked up at all
     * @param cacheSize most (issuer, serial) answers kept
     * @param defaultCacheTime how long an answer without nextUpdate is kept
     * @param maxCacheTime the longest any answer is kept, whatever its nextUpdate
     * @param unknownCacheTime how long an {@code unknown} is kept
     * @param maxCrlBytes largest CRL read
     */
    record Settings(boolean enabled, int cacheSize, Duration defaultCacheTime, Duration maxCacheTime,
            Duration unknownCacheTime, int maxCrlBytes) {
    }
}
