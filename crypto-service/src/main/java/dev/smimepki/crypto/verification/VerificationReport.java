package dev.smimepki.crypto.verification;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code POST /api/v1/smime/verify} (API.md), each check reported on its own as Thunderbird's Message
 * Security window does.
 *
 * @param signed whether the message carries an S/MIME signature at all
 * @param valid every check passed: signature, digest policy, validity at signing time, key usage, chain, From
 * @param signer the signer certificate, absent when unsigned or when the message lacks the certificate
 * @param chainTrusted the signer certificate chains to a configured trust anchor at signing time
 * @param revocation {@code good}, {@code revoked} or {@code unknown}; see {@code revocationDetail}
 * @param revocationDetail why the revocation status is what it is
 * @param signingTime the signingTime signed attribute, absent when the signer put none
 * @param problems one public sentence per failed check; empty exactly when {@code valid}
 * @param harvested whether the signer certificate was published for the directory ({@code pki.harvest})
 * @param format {@code multipart/signed} or {@code signed-data} (opaque); absent when unsigned
 * @param signatureValid the signature matches the content and the signer's key, whatever else failed
 * @param smimeCapabilities algorithm OIDs the signer announced (SMIMECapabilities), absent when none
 */
public record VerificationReport(
        boolean signed,
        boolean valid,
        SignerView signer,
        boolean chainTrusted,
        String revocation,
        String revocationDetail,
        Instant signingTime,
        List<String> problems,
        boolean harvested,
        String format,
        boolean signatureValid,
        List<String> smimeCapabilities) {

    public VerificationReport {
        problems = List.copyOf(problems);
    }

    static VerificationReport unsigned(String problem) {
        return new VerificationReport(false, false, null, false, Revocation.UNKNOWN, null, null, List.of(problem),
                false, null, false, null);
    }

    VerificationReport withHarvested(boolean harvested) {
        return new VerificationReport(signed, valid, signer, chainTrusted, revocation, revocationDetail, signingTime,
                problems, harvested, format, signatureValid, smimeCapabilities);
    }

    /**
     * @param email the certificate mailbox that matches From, else its first mailbox
     * @param fingerprintSha256 lower-case hex SHA-256 of the certificate
     * @param subject RFC 2253 subject
     */
    public record SignerView(String email, String fingerprintSha256, String subject) {
    }

    /** The revocation values of API.md. */
    static final class Revocation {
        static final String GOOD = "good";
        static final String REVOKED = "revoked";
        static final String UNKNOWN = "unknown";

        private Revocation() {
        }
    }
}
