package dev.smimepki.directory.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.store.DirectoryCertificate.Trust;

/** The trust tier decision on its own (plain JUnit): anchors, intermediates, look-alike CAs, expiry. */
class ChainVerifierTest {
    private static final TestPki OURS = TestPki.create();
    private static final TestPki LOOK_ALIKE = TestPki.create(); // same CA names, other keys

    @Test
    void chainsThroughAnIntermediateToAnAnchor() {
        EndEntity entity = OURS.issue("a@example.com");
        Verification verification = ChainVerifier.verify(entity.certificate(),
                List.of(OURS.issuingCa().certificate()), List.of(OURS.root().certificate()), Instant.now());
        assertEquals(Trust.trusted, verification.trust(), verification.detail());
        assertTrue(verification.detail().contains("smime-pki Test Root CA"), verification.detail());
    }

    @Test
    void missingIntermediateNoAnchorAndLookAlikeCaAreUnverifiedWithTheReason() {
        EndEntity entity = OURS.issue("a@example.com");
        Verification noIntermediate = ChainVerifier.verify(entity.certificate(), List.of(),
                List.of(OURS.root().certificate()), Instant.now());
        assertEquals(Trust.unverified, noIntermediate.trust());
        assertTrue(noIntermediate.detail().contains("is unknown"), noIntermediate.detail());

        Verification noAnchor = ChainVerifier.verify(entity.certificate(), List.of(OURS.issuingCa().certificate()),
                List.of(), Instant.now());
        assertEquals(Trust.unverified, noAnchor.trust());
        assertTrue(noAnchor.detail().contains("no trust anchor"), noAnchor.detail());

        EndEntity impostor = LOOK_ALIKE.issue("a@example.com");
        Verification lookAlike = ChainVerifier.verify(impostor.certificate(),
                List.of(OURS.issuingCa().certificate()), List.of(OURS.root().certificate()), Instant.now());
        assertEquals(Trust.unverified, lookAlike.trust());
        assertTrue(lookAlike.detail().contains("did not sign"), lookAlike.detail());

        Verification ownRootInMessage = ChainVerifier.verify(impostor.certificate(),
                LOOK_ALIKE.chain().certificates(), List.of(OURS.root().certificate()), Instant.now());
        assertEquals(Trust.unverified, ownRootInMessage.trust(), "a root carried along is no anchor");
    }

    @Test
    void anExpiredCertificateKeepsItsTrustTier() {
        EndEntity expired = OURS.issue(EndEntitySpec.forEmails("old@example.com").expired());
        Verification verification = ChainVerifier.verify(expired.certificate(),
                List.of(OURS.issuingCa().certificate()), List.of(OURS.root().certificate()), Instant.now());
        assertEquals(Trust.trusted, verification.trust(), verification.detail());
    }
}
