package dev.smimepki.crypto.verification;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.RevocationReason;
import dev.smimepki.core.policy.AlgorithmPolicy;

/** What the OCSP and CRL look-ups share: the answer type, the failure type and the clock tolerance. */
final class RevocationSource {
    /** Clocks of responders and of this service disagree a little; RFC 5019 section 4 suggests some leeway. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private RevocationSource() {
    }

    static ContentVerifierProvider verifier(PublicKey key) throws OperatorCreationException {
        return new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.provider()).build(key);
    }

    static void requireAcceptedSignature(AlgorithmIdentifier algorithm, String what) throws Unusable {
        if (!AlgorithmPolicy.isAcceptedSignatureAlgorithm(algorithm)) {
            throw new Unusable(what + " is signed with " + AlgorithmPolicy.algorithmName(algorithm)
                    + ", which is not accepted");
        }
    }

    static String reasonName(int code) {
        try {
            return RevocationReason.fromCode(code).wireName();
        } catch (RuntimeException e) {
            return RevocationReason.UNSPECIFIED.wireName();
        }
    }

    /**
     * A definitive answer.
     *
     * @param status good or revoked
     * @param validUntil the answer's nextUpdate, null when it gave none
     */
    record Answer(RevocationStatus status, Instant validUntil) {
    }

    /** The source gave no usable answer; the message is a public sentence. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message, null, false, false);
        }
    }
}
