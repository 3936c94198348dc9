package dev.smimepki.crypto.verification;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.policy.AlgorithmPolicy;

/**
 * Builds a path from a signer certificate to a trust anchor (RFC 5280 section 6) at a given time, with the
 * intermediates the message carried and those fetched from caIssuers. Revocation is checked elsewhere
 * ({@link RevocationChecker}), not by the path builder.
 */
final class ChainValidator {
    private ChainValidator() {
    }

    /**
     * @return the signer's issuer when a path exists, else the public reason there is none
     */
    static Result validate(Certificate signer, Collection<Certificate> intermediates,
            Collection<Certificate> anchors, Instant at) {
        if (anchors.isEmpty()) {
            return Result
                    .failed("no trust anchors are configured, so the signer's certificate chain cannot be trusted");
        }
        try {
            Set<TrustAnchor> trustAnchors = anchors.stream().map(anchor -> new TrustAnchor(anchor.x509(), null))
                    .collect(Collectors.toSet());
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signer.x509());
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(trustAnchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            List<X509Certificate> candidates = new ArrayList<>();
            candidates.add(signer.x509());
            intermediates.forEach(certificate -> candidates.add(certificate.x509()));
            parameters.addCertStore(CertStore.getInstance(AlgorithmPolicy.COLLECTION_CERT_STORE,
                    new CollectionCertStoreParameters(candidates), BouncyCastle.provider()));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder
                    .getInstance(AlgorithmPolicy.CERT_PATH_PKIX, BouncyCastle.provider()).build(parameters);
            List<? extends java.security.cert.Certificate> path = result.getCertPath().getCertificates();
            X509Certificate issuer = path.size() > 1
                    ? (X509Certificate) path.get(1)
                    : result.getTrustAnchor().getTrustedCert();
            return new Result(null, Certificate.of(issuer));
        } catch (CertPathBuilderException e) {
            return Result.failed("no valid certificate chain leads from the signer to a trusted root at "
                    + (at == null ? "this time" : at.toString()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Result.failed("the signer's certificate chain cannot be checked");
        }
    }

    /**
     * @param problem why no path leads to an anchor, null when one does
     * @param issuer the certificate that issued the signer's, on the validated path; null without a path
     */
    record Result(String problem, Certificate issuer) {
        static Result failed(String problem) {
            return new Result(problem, null);
        }

        boolean trusted() {
            return problem == null;
        }
    }
}
