package dev.smimepki.directory.harvest;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.directory.profile.SmimeCertificateCheck;
import dev.smimepki.directory.store.CertificateStore;
import dev.smimepki.directory.store.ParsedCertificates;
import dev.smimepki.directory.trust.ChainVerifier;
import dev.smimepki.directory.trust.Verification;
import dev.smimepki.events.CertificateHarvested;
import dev.smimepki.runtime.inbox.MalformedEventException;

/**
 * Takes a certificate learnt from signed mail the way a careful mail client does: only from a valid signature, only
 * S/MIME certificates of some mailbox, its chain checked here again rather than taken on the sender's word.
 */
@ApplicationScoped
public class HarvestIntake {
    /** Counter of harvested certificates dropped, tagged with {@code reason}. */
    public static final String DROPPED = "pki.directory.harvest.dropped";
    /** Counter of harvested certificates stored, tagged with {@code trust}. */
    public static final String STORED = "pki.directory.harvest.stored";
    /** {@link #DROPPED} reason: the message signature did not verify, so nothing in it is evidence. */
    public static final String INVALID_SIGNATURE = "invalid-signature";

    private static final Logger LOG = Logger.getLogger(HarvestIntake.class);

    private final CertificateStore store;
    private final ChainVerifier verifier;
    private final MeterRegistry registry;
    private final ParsedCertificates parsed;

    HarvestIntake(CertificateStore store, ChainVerifier verifier, MeterRegistry registry, ParsedCertificates parsed) {
        this.parsed = parsed;
        this.store = store;
        this.verifier = verifier;
        this.registry = registry;
    }

    /** Stores the harvested certificate, or counts and drops it; returns whether it was stored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean accept(CertificateHarvested harvested) {
        Certificate certificate = parsed.fromPem(harvested.certificatePem());
        if (!certificate.fingerprintSha256().equals(harvested.fingerprintSha256())) {
            throw new MalformedEventException(null, "harvested event fingerprint " + harvested.fingerprintSha256()
                    + " does not match its certificate " + certificate.fingerprintSha256());
        }
        if (harvested.seenAt() == null) {
            throw new MalformedEventException(null, "harvested event without seenAt");
        }
        if (!harvested.signatureValid()) {
            return drop(certificate, INVALID_SIGNATURE);
        }
        Optional<String> junk = SmimeCertificateCheck.junk(certificate);
        if (junk.isPresent()) {
            return drop(certificate, junk.get());
        }
        List<Certificate> chain = parsed.chain(harvested.chainPem());
        store.holdTrustAnchors();
        Verification verification = verifier.verify(certificate, chain, harvested.seenAt());
        store.recordHarvested(certificate, chain, harvested.seenAt(), verification, harvested.smimeCapabilities());
        registry.counter(STORED, "trust", verification.trust().name()).increment();
        return true;
    }

    private boolean drop(Certificate certificate, String reason) {
        registry.counter(DROPPED, "reason", reason).increment();
        LOG.debugf("dropped harvested certificate %s: %s", certificate, reason);
        return false;
    }
}
