package dev.smimepki.directory.trust;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.directory.store.DirectoryCertificate.Trust;

/**
 * Decides the trust tier of a certificate: {@code trusted} when an RFC 5280 path from it to a known anchor
 * validates (signatures, CA constraints, validity), else {@code unverified}, with the reason in words.
 */
@ApplicationScoped
public class ChainVerifier {
    private static final Logger LOG = Logger.getLogger(ChainVerifier.class);
    /** Longest chain followed below an anchor; real S/MIME chains have one or two intermediates. */
    private static final int MAX_PATH = 8;

    private final TrustAnchors anchors;

    ChainVerifier(TrustAnchors anchors) {
        this.anchors = anchors;
    }

    /**
     * Checks the certificate against every anchor the directory knows, with the supplied certificates (a message's
     * or an upload's chain) and the known intermediates as path candidates.
     *
     * @param at the time the path must be valid at, clamped into the certificate's own validity so that an expired
     *        certificate keeps the trust tier it had (its status says it expired)
     */
    public Verification verify(Certificate certificate, Collection<Certificate> supplied, Instant at) {
        List<Certificate> candidates = new ArrayList<>(supplied);
        candidates.addAll(anchors.intermediates());
        return verify(certificate, candidates, anchors.anchors(), at);
    }

    /** The path check itself, for given anchors and candidate intermediates. */
    public static Verification verify(Certificate certificate, Collection<Certificate> candidates,
            Collection<Certificate> trustAnchors, Instant at) {
        if (trustAnchors.isEmpty()) {
            return new Verification(Trust.unverified, "no trust anchor is known to the directory");
        }
        Map<String, Certificate> pool = new LinkedHashMap<>();
        candidates.forEach(c -> pool.putIfAbsent(c.fingerprintSha256(), c));
        pool.put(certificate.fingerprintSha256(), certificate);
        // Several CAs may share a name (key rollover, test PKIs, impostors): follow the keys that made the
        // signatures, so that the path builder is offered only the right issuer at each step.
        List<Certificate> path = new ArrayList<>(List.of(certificate));
        Certificate last = certificate;
        while (path.size() <= MAX_PATH && trustAnchors.stream().noneMatch(issues(last))) {
            Certificate tip = last;
            Certificate next = pool.values().stream().filter(c -> !path.contains(c)).filter(issues(tip)).findFirst()
                    .orElse(null);
            if (next == null) {
                break;
            }
            path.add(next);
            last = next;
        }
        Set<TrustAnchor> anchorSet = trustAnchors.stream().filter(issues(last))
                .map(a -> new TrustAnchor(a.x509(), null)).collect(Collectors.toSet());
        if (anchorSet.isEmpty()) {
            return new Verification(Trust.unverified, whyNoPath(certificate, pool.values(), trustAnchors));
        }
        Instant validAt = at.isBefore(certificate.notBefore())
                ? certificate.notBefore()
                : at.isAfter(certificate.notAfter()) ? certificate.notAfter() : at;
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate.x509());
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchorSet, target);
            parameters.setRevocationEnabled(false); // revocation is tracked from ca-service's events, not here
            parameters.setDate(Date.from(validAt));
            List<X509Certificate> x509s = path.stream().map(Certificate::x509).toList();
            parameters.addCertStore(CertStore.getInstance(AlgorithmPolicy.COLLECTION_CERT_STORE,
                    new CollectionCertStoreParameters(x509s), BouncyCastle.provider()));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder
                    .getInstance(AlgorithmPolicy.CERT_PATH_PKIX, BouncyCastle.provider()).build(parameters);
            String anchorSubject = Certificate.of(result.getTrustAnchor().getTrustedCert()).subject();
            return new Verification(Trust.trusted, "chains to trust anchor " + anchorSubject);
        } catch (CertPathBuilderException e) {
            LOG.debugf("no path for %s: %s", certificate, e.getMessage());
            return new Verification(Trust.unverified, whyNoPath(certificate, pool.values(), trustAnchors));
        } catch (InvalidAlgorithmParameterException e) {
            LOG.debugf("path parameters refused for %s: %s", certificate, e.getMessage());
            return new Verification(Trust.unverified, "the chain could not be checked");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PKIX path building is unavailable", e);
        }
    }

    /** Names the first missing link: an unknown issuer, or an issuer whose key did not make the signature. */
    private static String whyNoPath(Certificate certificate, Collection<Certificate> pool,
            Collection<Certificate> trustAnchors) {
        List<Certificate> issuers = new ArrayList<>();
        for (Certificate candidate : concat(pool, trustAnchors)) {
            if (candidate.isCa() && candidate.subject().equals(certificate.issuer())
                    && !candidate.equals(certificate)) {
                issuers.add(candidate);
            }
        }
        if (issuers.isEmpty()) {
            return "does not chain to a known trust anchor: issuer " + certificate.issuer() + " is unknown";
        }
        boolean signatureVerifies = issuers.stream().anyMatch(issuer -> signedBy(certificate, issuer));
        if (!signatureVerifies) {
            return "a CA named " + certificate.issuer() + " is known, but its key did not sign this certificate "
                    + "(another CA of the same name, or a forgery)";
        }
        return "does not chain to a known trust anchor: the path through " + certificate.issuer()
                + " does not validate";
    }

    private static Predicate<Certificate> issues(Certificate certificate) {
        return candidate -> candidate.isCa() && !candidate.equals(certificate)
                && candidate.subject().equals(certificate.issuer()) && signedBy(certificate, candidate);
    }

    private static boolean signedBy(Certificate certificate, Certificate issuer) {
        try {
            certificate.x509().verify(issuer.publicKey(), BouncyCastle.provider());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static List<Certificate> concat(Collection<Certificate> a, Collection<Certificate> b) {
        List<Certificate> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
