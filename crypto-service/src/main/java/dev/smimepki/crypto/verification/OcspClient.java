package dev.smimepki.crypto.verification;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.RevocationReason;
import dev.smimepki.crypto.verification.RemoteFetch.FetchException;
import dev.smimepki.crypto.verification.RevocationSource.Answer;
import dev.smimepki.crypto.verification.RevocationSource.Unusable;

/**
 * Asks a CA's OCSP responder (RFC 6960) about one certificate: a POSTed request with a nonce, an answer trusted only
 * when the CA itself or a responder it authorised (id-kp-OCSPSigning, issued by the CA) signed it, that is fresh
 * (thisUpdate not in the future, nextUpdate not past) and that echoes the nonce when it carries one (RFC 5019
 * responders answer from a cache and may leave it out).
 */
final class OcspClient {
    static final String REQUEST_TYPE = "application/ocsp-request";
    static final String RESPONSE_TYPE = "application/ocsp-response";
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final int NONCE_BYTES = 16;
    private static final String[] ERROR_NAMES = {"successful", "malformedRequest", "internalError", "tryLater", "4",
            "sigRequired", "unauthorized"};

    private final RemoteFetch fetch;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final DigestCalculatorProvider digests;

    OcspClient(RemoteFetch fetch, Clock clock) {
        this.fetch = fetch;
        this.clock = clock;
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.provider()).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    Answer query(URI url, Certificate certificate, Certificate issuer) throws Unusable {
        String responder = "the OCSP responder " + url;
        try {
            X509CertificateHolder issuerHolder = new X509CertificateHolder(issuer.der());
            // SHA-1 CertID: RFC 5019 section 2.1.1 makes it the one every responder must understand; it names the
            // certificate, it protects nothing
            CertificateID id = new CertificateID(digests.get(CertificateID.HASH_SHA1), issuerHolder,
                    certificate.serial());
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Extension nonceExtension = new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(nonce).getEncoded()));
            byte[] request = new OCSPReqBuilder().addRequest(id)
                    .setRequestExtensions(new Extensions(nonceExtension)).build().getEncoded();

            byte[] der = fetch.post(url, REQUEST_TYPE, RESPONSE_TYPE, request, MAX_RESPONSE_BYTES);
            OCSPResp response = new OCSPResp(der);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                int status = response.getStatus();
                throw new Unusable(responder + " answered with the error "
                        + (status >= 0 && status < ERROR_NAMES.length ? ERROR_NAMES[status] : String.valueOf(status)));
            }
            if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
                throw new Unusable(responder + " sent no basic OCSP response");
            }
            checkSigner(basic, issuerHolder, issuer, responder);
            checkNonce(basic, nonceExtension, responder);
            SingleResp single = find(basic, id, issuerHolder, certificate.serial(), responder);
            Instant validUntil = checkFresh(single, responder);
            CertificateStatus status = single.getCertStatus();
            if (status == CertificateStatus.GOOD) {
                return new Answer(RevocationStatus.good("good according to " + responder + " (answer of "
                        + single.getThisUpdate().toInstant() + (validUntil == null ? "" : ", valid until " + validUntil)
                        + ")"), validUntil);
            }
            if (status instanceof RevokedStatus revoked) {
                String reason = revoked.hasRevocationReason()
                        ? RevocationSource.reasonName(revoked.getRevocationReason())
                        : RevocationReason.UNSPECIFIED.wireName();
                return new Answer(RevocationStatus.revoked(revoked.getRevocationTime().toInstant(), reason,
                        responder), validUntil);
            }
            if (status instanceof UnknownStatus) {
                throw new Unusable(responder + " does not know the certificate (status unknown)");
            }
            throw new Unusable(responder + " sent a certificate status it does not define");
        } catch (FetchException e) {
            throw new Unusable("OCSP: " + e.getMessage());
        } catch (IOException | OCSPException | OperatorCreationException | RuntimeException e) {
            throw new Unusable(responder + " sent an answer that is not a well-formed OCSP response");
        }
    }

    /** The issuer itself, or a delegated responder certificate the issuer signed for OCSP (RFC 6960 4.2.2.2). */
    private void checkSigner(BasicOCSPResp basic, X509CertificateHolder issuerHolder, Certificate issuer,
            String responder) throws Unusable, OperatorCreationException {
        RevocationSource.requireAcceptedSignature(basic.getSignatureAlgorithmID(), "the answer of " + responder);
        if (signedBy(basic, issuer)) {
            return;
        }
        Date now = Date.from(clock.instant());
        for (X509CertificateHolder candidate : basic.getCerts()) {
            if (!candidate.getIssuer().equals(issuerHolder.getSubject()) || !candidate.isValidOn(now)) {
                continue;
            }
            ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(candidate.getExtensions());
            if (usage == null || !usage.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
                continue;
            }
            try {
                if (candidate.isSignatureValid(RevocationSource.verifier(issuer.publicKey()))
                        && basic.isSignatureValid(RevocationSource.verifier(
                                new JcaX509CertificateConverter().setProvider(BouncyCastle.provider())
                                        .getCertificate(candidate).getPublicKey()))) {
                    return;
                }
            } catch (OCSPException | CertException | CertificateException
                    | RuntimeException e) {
                // not this one
            }
        }
        throw new Unusable("the answer of " + responder + " is not signed by the certificate's issuer nor by a "
                + "responder the issuer authorised, so it is not trusted");
    }

    private static boolean signedBy(BasicOCSPResp basic, Certificate issuer) {
        try {
            return basic.isSignatureValid(RevocationSource.verifier(issuer.publicKey()));
        } catch (OCSPException | OperatorCreationException | RuntimeException e) {
            return false;
        }
    }

    private static void checkNonce(BasicOCSPResp basic, Extension sent, String responder) throws Unusable {
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoed != null && !Arrays.equals(echoed.getExtnValue().getOctets(), sent.getExtnValue().getOctets())) {
            throw new Unusable("the answer of " + responder + " carries another request's nonce (a replayed answer)");
        }
    }

    private SingleResp find(BasicOCSPResp basic, CertificateID id, X509CertificateHolder issuerHolder,
            BigInteger serial, String responder) throws Unusable, OCSPException {
        for (SingleResp single : basic.getResponses()) {
            CertificateID answered = single.getCertID();
            if (answered.equals(id)
                    || (answered.getSerialNumber().equals(serial) && answered.matchesIssuer(issuerHolder, digests))) {
                return single;
            }
        }
        throw new Unusable(responder + " answered about other certificates than the one asked for");
    }

    /** @return nextUpdate, null when the answer has none */
    private Instant checkFresh(SingleResp single, String responder) throws Unusable {
        Instant now = clock.instant();
        Instant thisUpdate = single.getThisUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(RevocationSource.CLOCK_SKEW))) {
            throw new Unusable("the answer of " + responder + " is dated in the future (" + thisUpdate + ")");
        }
        Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        if (nextUpdate != null && nextUpdate.isBefore(now.minus(RevocationSource.CLOCK_SKEW))) {
            throw new Unusable("the answer of " + responder + " is stale (next update was due " + nextUpdate + ")");
        }
        return nextUpdate;
    }
}
