package dev.smimepki.crypto.verification;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.smimepki.crypto.CryptoConfig;
import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.crypto.verification.SmimeVerifier.Verification;

/** Verifies signed messages and harvests every signer certificate seen, valid or not (consumers filter). */
@ApplicationScoped
public class VerificationService {
    private static final Logger LOG = Logger.getLogger(VerificationService.class);
    /** Issuing CAs are few and their certificates change rarely. */
    private static final int ISSUER_CACHE_SIZE = 256;
    private static final Duration ISSUER_CACHE_TIME = Duration.ofHours(1);

    private final MessageSpool spool;
    private final SmimeVerifier verifier;
    private final HarvestPublisher harvest;

    VerificationService(MessageSpool spool, TrustAnchors anchors, HarvestPublisher harvest, CryptoConfig config) {
        this.spool = spool;
        CryptoConfig.Revocation settings = config.revocation();
        RemoteFetch fetch = new RemoteFetch(settings.connectTimeout(), settings.readTimeout());
        Clock clock = Clock.systemUTC();
        IssuerCertificates issuers = config.fetchIssuers()
                ? new IssuerCertificates(fetch, ISSUER_CACHE_SIZE, ISSUER_CACHE_TIME, clock)
                : IssuerCertificates.none();
        RevocationChecker revocation = new RevocationChecker(fetch, new RevocationChecker.Settings(settings.enabled(),
                settings.cacheSize(), settings.defaultCacheTime(), settings.maxCacheTime(),
                settings.unknownCacheTime(), settings.maxCrlSize()), clock);
        this.verifier = new SmimeVerifier(anchors::current, anchors::refresh, issuers, revocation);
        this.harvest = harvest;
    }

    public VerificationReport verify(InputStream body) {
        try (SpooledMessage message = spool.spool(body)) {
            return verify(message);
        }
    }

    /** Verifies and harvests a message already spooled (e.g. the inner message of a decrypted one). */
    public VerificationReport verify(SpooledMessage message) {
        Verification verification = verifier.verify(message);
        if (verification.harvest() == null) {
            return verification.report();
        }
        try {
            harvest.publish(verification.harvest());
            return verification.report().withHarvested(true);
        } catch (RuntimeException e) {
            // the verification result stands on its own; the report says the certificate was not harvested
            LOG.warnf(e, "harvest of %s not recorded", verification.harvest().fingerprintSha256());
            return verification.report();
        }
    }
}
