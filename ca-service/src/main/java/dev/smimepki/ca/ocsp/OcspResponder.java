package dev.smimepki.ca.ocsp;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.jboss.logging.Logger;

import dev.smimepki.ca.CaConfig;
import dev.smimepki.ca.authority.CaSigner;
import dev.smimepki.ca.authority.CertificateAuthorities;
import dev.smimepki.ca.issuance.IssuedCertificate;
import dev.smimepki.ca.issuance.IssuedCertificateRepository;
import dev.smimepki.core.BouncyCastle;
import dev.smimepki.runtime.limits.RateLimitedException;
import dev.smimepki.runtime.limits.RateLimiter;

/**
 * The OCSP responder of every CA (RFC 6960, with the RFC 5019 profile): each answer is read from the database and
 * signed by the CA itself at request time, so a revocation shows in the very next response. Protocol errors are
 * OCSP error responses, never HTTP errors, as OCSP clients expect.
 */
@ApplicationScoped
class OcspResponder {
    private static final Logger LOG = Logger.getLogger(OcspResponder.class);
    /** RFC 5019 section 2.1.1 keeps requests to one certificate; allow a few for RFC 6960 clients. */
    private static final int MAX_REQUESTS = 10;
    static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final CertificateAuthorities authorities;
    private final IssuedCertificateRepository certificates;
    private final Duration validity;
    private final DigestCalculatorProvider digests;
    private final RateLimiter rateLimiter;

    OcspResponder(CertificateAuthorities authorities, IssuedCertificateRepository certificates, CaConfig config,
            RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
        this.authorities = authorities;
        this.certificates = certificates;
        this.validity = config.ocsp().validity();
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.provider()).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no digest calculators", e);
        }
    }

    /** The request from the GET form (RFC 5019 section 5): base64 of the DER, URL-decoded by the caller. */
    byte[] respondToBase64(UUID caId, String base64) {
        if (!admitted(caId)) {
            return error(OCSPRespBuilder.TRY_LATER);
        }
        return answerBase64(caId, base64);
    }

    /** The GET form's request, once admitted. */
    byte[] answerBase64(UUID caId, String base64) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            try {
                der = Base64.getUrlDecoder().decode(base64.strip());
            } catch (IllegalArgumentException notUrlSafeEither) {
                return error(OCSPRespBuilder.MALFORMED_REQUEST);
            }
        }
        return answer(caId, der);
    }

    /** The request from the POST form (RFC 6960 appendix A.1): DER. */
    byte[] respond(UUID caId, byte[] der) {
        if (!admitted(caId)) {
            return error(OCSPRespBuilder.TRY_LATER);
        }
        return answer(caId, der);
    }

    /**
     * Whether the client is within its OCSP rate limit. Past it the answer is an OCSP {@code tryLater} (RFC 6960
     * section 2.3), which every OCSP client understands, rather than a 429 problem+json, which none reads.
     */
    private boolean admitted(UUID caId) {
        try {
            rateLimiter.acquireForClient(RateLimiter.OCSP);
            return true;
        } catch (RateLimitedException e) {
            LOG.debugf("OCSP request for CA %s over the rate limit: %s", caId, e.getMessage());
            return false;
        }
    }

    @Transactional
    byte[] answer(UUID caId, byte[] der) {
        OCSPReq request;
        Req[] requests;
        try {
            if (der == null || der.length == 0 || der.length > MAX_REQUEST_BYTES) {
                return error(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            request = new OCSPReq(der);
            // BouncyCastle decodes the request list and each CertID only when asked: hostile structure fails here
            requests = request.getRequestList();
            for (Req single : requests) {
                single.getCertID().getSerialNumber();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("malformed OCSP request for CA %s: %s", caId, e.toString());
            return error(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        if (requests.length == 0 || requests.length > MAX_REQUESTS) {
            return error(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        Optional<CaSigner> ca = authorities.findSigner(caId);
        if (ca.isEmpty()) {
            // RFC 6960 section 2.3: this responder has no authority for that CA.
            return error(OCSPRespBuilder.UNAUTHORIZED);
        }
        try {
            return sign(ca.get(), request, requests);
        } catch (OCSPException | OperatorCreationException | IOException e) {
            LOG.errorf(e, "cannot answer an OCSP request for CA %s", caId);
            return error(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    private byte[] sign(CaSigner ca, OCSPReq request, Req[] requests)
            throws OCSPException, OperatorCreationException, IOException {
        X509CertificateHolder caCertificate = ca.certificateHolder();
        PublicKey caKey = ca.certificate().publicKey();
        // ResponderID byKey: SHA-1 of the CA's public key (RFC 6960 section 4.2.1), as clients match it.
        JcaBasicOCSPRespBuilder builder = new JcaBasicOCSPRespBuilder(caKey, digests.get(CertificateID.HASH_SHA1));
        Instant thisUpdate = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Date nextUpdate = Date.from(thisUpdate.plus(validity));
        for (Req single : requests) {
            CertificateID id = single.getCertID();
            builder.addResponse(id, status(ca, caCertificate, id), Date.from(thisUpdate), nextUpdate, null);
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null) {
            // RFC 6960 section 4.4.1: the nonce comes back unchanged, binding the answer to this request.
            builder.setResponseExtensions(new Extensions(new Extension(nonce.getExtnId(), false,
                    nonce.getExtnValue())));
        }
        BasicOCSPResp basic = builder.build(ca.contentSigner(), new X509CertificateHolder[]{caCertificate},
                Date.from(thisUpdate));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    /** good, revoked (time and reason) or unknown: unknown for another issuer or a serial this CA never issued. */
    private CertificateStatus status(CaSigner ca, X509CertificateHolder caCertificate, CertificateID id)
            throws OCSPException {
        if (!id.matchesIssuer(caCertificate, digests)) {
            return new UnknownStatus();
        }
        Optional<IssuedCertificate> issued = certificates.findByIdOptional(id.getSerialNumber().toString(16))
                .filter(certificate -> certificate.caId().equals(ca.caId()));
        if (issued.isEmpty()) {
            return new UnknownStatus();
        }
        IssuedCertificate certificate = issued.get();
        if (certificate.isRevoked()) {
            return new RevokedStatus(Date.from(certificate.revokedAt()), certificate.revocationReason().code());
        }
        return CertificateStatus.GOOD;
    }

    private static byte[] error(int status) {
        try {
            OCSPResp response = new OCSPRespBuilder().build(status, null);
            return response.getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot encode an OCSP error response", e);
        }
    }
}
