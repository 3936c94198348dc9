package dev.smimepki.crypto.verification;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemBlock;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.crypto.verification.RemoteFetch.FetchException;

/**
 * Fills the gaps in a chain the message left: when no certificate at hand issued the signer's certificate (or one
 * fetched for it), the certificate's authorityInformationAccess caIssuers URL is read (RFC 5280 section 4.2.2.1: DER,
 * or PKCS#7 certs-only; PEM is accepted too because servers send it). What is fetched is only a candidate: the path
 * builder still has to validate it up to a trust anchor. Answers are cached per URL.
 */
final class IssuerCertificates {
    private static final int MAX_BYTES = 256 * 1024;
    private static final int MAX_DEPTH = 4;
    private static final String ACCEPT = "application/pkix-cert, application/pkcs7-mime, */*;q=0.1";
    private static final String PKCS7_LABEL = "PKCS7";

    private final RemoteFetch fetch;
    private final Duration cacheTime;
    private final ExpiringCache<URI, List<Certificate>> cache;
    private final Clock clock;

    IssuerCertificates(RemoteFetch fetch, int cacheSize, Duration cacheTime, Clock clock) {
        this.fetch = fetch;
        this.cacheTime = cacheTime;
        this.cache = new ExpiringCache<>(cacheSize, clock);
        this.clock = clock;
    }

    /** Fetches nothing, ever. */
    static IssuerCertificates none() {
        return new IssuerCertificates(null, 1, Duration.ZERO, Clock.systemUTC());
    }

    /**
     * @param signer the signer certificate
     * @param known the certificates the message carried
     * @param anchors the trust anchors
     * @return certificates fetched to complete the chain (possibly none), and the reasons fetches failed
     */
    Fetched missing(Certificate signer, Collection<Certificate> known, Collection<Certificate> anchors) {
        List<Certificate> fetched = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        if (fetch == null) {
            return new Fetched(fetched, failures);
        }
        Certificate current = signer;
        for (int depth = 0; depth < MAX_DEPTH && !current.isSelfIssued(); depth++) {
            if (issuerAmong(current, anchors) != null) {
                break;
            }
            Certificate issuer = issuerAmong(current, known);
            if (issuer == null) {
                issuer = issuerAmong(current, fetched);
            }
            if (issuer == null) {
                List<Certificate> candidates = fetchIssuers(current, failures);
                candidates.stream().filter(c -> !fetched.contains(c)).forEach(fetched::add);
                issuer = issuerAmong(current, candidates);
            }
            if (issuer == null) {
                break;
            }
            current = issuer;
        }
        return new Fetched(fetched, failures);
    }

    private List<Certificate> fetchIssuers(Certificate certificate, List<String> failures) {
        for (URI url : CertificateUrls.caIssuers(certificate)) {
            List<Certificate> cached = cache.get(url);
            if (cached != null) {
                return cached;
            }
            try {
                List<Certificate> certificates = parse(fetch.get(url, ACCEPT, MAX_BYTES));
                cache.put(url, certificates, clock.instant().plus(cacheTime));
                return certificates;
            } catch (FetchException e) {
                failures.add("caIssuers: " + e.getMessage());
            } catch (CMSException | IOException | RuntimeException e) {
                failures.add("caIssuers: " + url + " sent no certificate (neither DER, PEM nor PKCS#7)");
            }
        }
        return List.of();
    }

    /** A DER certificate, PEM certificates or PKCS#7, or a PKCS#7 certs-only in DER. */
    static List<Certificate> parse(byte[] body) throws CMSException, IOException {
        List<Certificate> certificates = new ArrayList<>();
        if (Pem.isPem(body)) {
            for (PemBlock block : Pem.parse(body)) {
                if (PemType.CERTIFICATE.accepts(block.label())) {
                    certificates.add(Certificate.of(block.der()));
                } else if (PKCS7_LABEL.equals(block.label())) {
                    certificates.addAll(fromPkcs7(block.der()));
                }
            }
        } else {
            try {
                certificates.add(Certificate.of(body));
            } catch (PkiFormatException notOneCertificate) {
                certificates.addAll(fromPkcs7(body));
            }
        }
        if (certificates.isEmpty()) {
            throw new PkiFormatException("no certificate");
        }
        return certificates;
    }

    private static List<Certificate> fromPkcs7(byte[] der) throws CMSException, IOException {
        List<Certificate> certificates = new ArrayList<>();
        for (X509CertificateHolder holder : new CMSSignedData(der).getCertificates().getMatches(null)) {
            certificates.add(Certificate.of(holder.getEncoded()));
        }
        return certificates;
    }

    /** A certificate whose subject is the issuer of {@code certificate} and whose key id matches, if both have one. */
    private static Certificate issuerAmong(Certificate certificate, Collection<Certificate> candidates) {
        for (Certificate candidate : candidates) {
            if (!candidate.x509().getSubjectX500Principal().equals(certificate.x509().getIssuerX500Principal())) {
                continue;
            }
            byte[] authorityKeyId = certificate.authorityKeyIdentifier().orElse(null);
            byte[] subjectKeyId = candidate.subjectKeyIdentifier().orElse(null);
            if (authorityKeyId == null || subjectKeyId == null || Arrays.equals(authorityKeyId, subjectKeyId)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * @param certificates fetched issuer certificates, unvalidated
     * @param failures why a caIssuers URL gave nothing, one sentence each
     */
    record Fetched(List<Certificate> certificates, List<String> failures) {
    }
}
