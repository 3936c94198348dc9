package dev.smimepki.crypto.verification;

import java.io.InputStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.crypto.verification.SmimeVerifier.Verification;

/** Verifies signed messages and harvests every signer certificate seen, valid or not (consumers filter). */
@ApplicationScoped
public class VerificationService {
    private static final Logger LOG = Logger.getLogger(VerificationService.class);

    private final MessageSpool spool;
    private final SmimeVerifier verifier;
    private final HarvestPublisher harvest;

    VerificationService(MessageSpool spool, TrustAnchors anchors, HarvestPublisher harvest) {
        this.spool = spool;
        this.verifier = new SmimeVerifier(anchors::current, anchors::refresh);
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
