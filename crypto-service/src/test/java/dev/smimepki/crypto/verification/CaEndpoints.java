package dev.smimepki.crypto.verification;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.TestCa;

/**
 * A CA's public HTTP endpoints on a real port, for one issuing CA: an OCSP responder whose answer for each serial
 * can be made good, revoked, stale, replayed or signed by the wrong key; a CRL; and the CA certificate for caIssuers
 * (DER and PKCS#7). Counts the requests each endpoint received.
 */
final class CaEndpoints implements AutoCloseable {
    static final String OCSP = "/ocsp";
    static final String CRL = "/crl";
    static final String CA_DER = "/ca.cer";
    static final String CA_P7C = "/ca.p7c";

    /** How the responder answers for a serial; {@link #GOOD} when not set. */
    enum Ocsp {
        GOOD,
        REVOKED,
        WRONG_KEY,
        STALE,
        OTHER_NONCE,
        DELEGATED,
        DELEGATED_WITHOUT_EKU,
        HTTP_ERROR
    }

    private final HttpServer server;
    private final TestCa ca;
    private final Map<BigInteger, Ocsp> ocspAnswers = new ConcurrentHashMap<>();
    private final Map<BigInteger, Instant> revokedOnCrl = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final KeyPair strangerKey;
    private final Responder delegated;
    private final Responder delegatedWithoutEku;
    private volatile Instant revokedAt = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);

    CaEndpoints(TestCa ca, KeyPair strangerKey, Responder delegated, Responder delegatedWithoutEku)
            throws IOException {
        this.ca = ca;
        this.strangerKey = strangerKey;
        this.delegated = delegated;
        this.delegatedWithoutEku = delegatedWithoutEku;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(OCSP, exchange -> respond(exchange, OCSP, this::ocsp));
        server.createContext(CRL, exchange -> respond(exchange, CRL, body -> crl()));
        server.createContext(CA_DER, exchange -> respond(exchange, CA_DER, body -> ca.certificate().der()));
        server.createContext(CA_P7C, exchange -> respond(exchange, CA_P7C, body -> certsOnly()));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void answer(BigInteger serial, Ocsp answer) {
        ocspAnswers.put(serial, answer);
    }

    void revokeOnCrl(BigInteger serial, Instant at) {
        revokedOnCrl.put(serial, at);
    }

    Instant revokedAt() {
        return revokedAt;
    }

    int requests(String path) {
        return requests.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void respond(HttpExchange exchange, String path, Handler handler) throws IOException {
        try (exchange) {
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] request;
            try (InputStream in = exchange.getRequestBody()) {
                request = in.readAllBytes();
            }
            byte[] body;
            try {
                body = handler.handle(request);
            } catch (Exception e) {
                throw new IOException(e);
            }
            if (body == null) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private byte[] ocsp(byte[] der) throws Exception {
        OCSPReq request = new OCSPReq(der);
        Req single = request.getRequestList()[0];
        CertificateID id = single.getCertID();
        Ocsp mode = ocspAnswers.getOrDefault(id.getSerialNumber(), Ocsp.GOOD);
        if (mode == Ocsp.HTTP_ERROR) {
            return null;
        }
        PublicKey signerPublic = ca.certificate().publicKey();
        PrivateKey signerPrivate = ca.privateKey();
        X509CertificateHolder[] chain = new X509CertificateHolder[0];
        switch (mode) {
            case WRONG_KEY -> {
                signerPublic = strangerKey.getPublic();
                signerPrivate = strangerKey.getPrivate();
            }
            case DELEGATED, DELEGATED_WITHOUT_EKU -> {
                Responder responder = mode == Ocsp.DELEGATED ? delegated : delegatedWithoutEku;
                signerPublic = responder.certificate().publicKey();
                signerPrivate = responder.keyPair().getPrivate();
                chain = new X509CertificateHolder[]{new X509CertificateHolder(responder.certificate().der())};
            }
            default -> {
            }
        }
        JcaBasicOCSPRespBuilder builder = new JcaBasicOCSPRespBuilder(signerPublic,
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant thisUpdate = mode == Ocsp.STALE ? now.minus(Duration.ofDays(2)) : now;
        Instant nextUpdate = mode == Ocsp.STALE ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofHours(1));
        CertificateStatus status = mode == Ocsp.REVOKED
                ? new RevokedStatus(Date.from(revokedAt), CRLReason.keyCompromise)
                : CertificateStatus.GOOD;
        builder.addResponse(id, status, Date.from(thisUpdate), Date.from(nextUpdate), null);
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (mode == Ocsp.OTHER_NONCE) {
            nonce = new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(new byte[16]).getEncoded()));
        }
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        BasicOCSPResp basic = builder.build(signer(signerPublic, signerPrivate), chain, Date.from(now));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    private byte[] crl() throws Exception {
        Instant now = Instant.now();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().x509().getSubjectX500Principal().getEncoded()),
                Date.from(now.minus(Duration.ofMinutes(1))));
        builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        revokedOnCrl
                .forEach((serial, at) -> builder.addCRLEntry(serial, Date.from(at), CRLReason.cessationOfOperation));
        return builder.build(signer(ca.certificate().publicKey(), ca.privateKey())).getEncoded();
    }

    private byte[] certsOnly() throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addCertificates(new JcaCertStore(List.of(ca.certificate().x509())));
        return generator.generate(new CMSAbsentContent()).getEncoded();
    }

    private static ContentSigner signer(PublicKey publicKey, PrivateKey privateKey) throws Exception {
        return new JcaContentSignerBuilder(KeyAlgorithm.of(publicKey).signatureAlgorithm())
                .setProvider(BouncyCastle.provider()).build(privateKey);
    }

    /** A delegated OCSP responder: its certificate (issued by the CA) and key. */
    record Responder(Certificate certificate, KeyPair keyPair) {
    }

    @FunctionalInterface
    private interface Handler {
        byte[] handle(byte[] request) throws Exception;
    }
}
