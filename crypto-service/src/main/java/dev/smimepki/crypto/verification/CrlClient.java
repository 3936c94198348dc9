package dev.smimepki.crypto.verification;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.operator.OperatorCreationException;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.RevocationReason;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.crypto.verification.RemoteFetch.FetchException;
import dev.smimepki.crypto.verification.RevocationSource.Answer;
import dev.smimepki.crypto.verification.RevocationSource.Unusable;

/**
 * Reads a CA's CRL (RFC 5280 section 5) from a distribution point and looks the certificate up in it. The CRL counts
 * only when the issuer signed it, it names that issuer, and its nextUpdate has not passed. Delta CRLs are not used.
 */
final class CrlClient {
    static final String CRL_TYPE = "application/pkix-crl";

    private final RemoteFetch fetch;
    private final Clock clock;
    private final int maxBytes;

    CrlClient(RemoteFetch fetch, Clock clock, int maxBytes) {
        this.fetch = fetch;
        this.clock = clock;
        this.maxBytes = maxBytes;
    }

    Answer query(URI url, Certificate certificate, Certificate issuer) throws Unusable {
        String source = "the CRL at " + url;
        try {
            byte[] body = fetch.get(url, CRL_TYPE, maxBytes);
            X509CRLHolder crl = new X509CRLHolder(Pem.isPem(body) ? Pem.derOf(body, PemType.X509_CRL) : body);
            X500Name issuerName = X500Name.getInstance(issuer.x509().getSubjectX500Principal().getEncoded());
            if (!crl.getIssuer().equals(issuerName)) {
                throw new Unusable(source + " is issued by " + crl.getIssuer() + ", not by the certificate's issuer");
            }
            RevocationSource.requireAcceptedSignature(crl.toASN1Structure().getSignatureAlgorithm(), source);
            if (!crl.isSignatureValid(RevocationSource.verifier(issuer.publicKey()))) {
                throw new Unusable(source + " is not signed by the certificate's issuer, so it is not trusted");
            }
            if (crl.getExtension(Extension.deltaCRLIndicator) != null) {
                throw new Unusable(source + " is a delta CRL, which is not used");
            }
            Instant now = clock.instant();
            if (crl.getThisUpdate().toInstant().isAfter(now.plus(RevocationSource.CLOCK_SKEW))) {
                throw new Unusable(source + " is dated in the future (" + crl.getThisUpdate().toInstant() + ")");
            }
            if (crl.getNextUpdate() == null) {
                throw new Unusable(source + " has no nextUpdate, so its freshness cannot be judged");
            }
            Instant nextUpdate = crl.getNextUpdate().toInstant();
            if (nextUpdate.isBefore(now.minus(RevocationSource.CLOCK_SKEW))) {
                throw new Unusable(source + " is stale (next update was due " + nextUpdate + ")");
            }
            X509CRLEntryHolder entry = crl.getRevokedCertificate(certificate.serial());
            String reason = entry == null ? null : reason(entry);
            if (entry == null || RevocationReason.REMOVE_FROM_CRL.wireName().equals(reason)) {
                return new Answer(RevocationStatus.good("not on " + source + " (issued " + crl.getThisUpdate()
                        .toInstant() + ", next update " + nextUpdate + ")"), nextUpdate);
            }
            return new Answer(RevocationStatus.revoked(entry.getRevocationDate().toInstant(), reason, source),
                    nextUpdate);
        } catch (FetchException e) {
            throw new Unusable("CRL: " + e.getMessage());
        } catch (IOException | CertException | OperatorCreationException | RuntimeException e) {
            throw new Unusable(source + " is not a well-formed CRL");
        }
    }

    private static String reason(X509CRLEntryHolder entry) {
        Extension extension = entry.getExtensions() == null
                ? null
                : entry.getExtensions()
                        .getExtension(Extension.reasonCode);
        if (extension == null) {
            return RevocationReason.UNSPECIFIED.wireName();
        }
        return RevocationSource.reasonName(CRLReason.getInstance(extension.getParsedValue()).getValue().intValue());
    }
}
