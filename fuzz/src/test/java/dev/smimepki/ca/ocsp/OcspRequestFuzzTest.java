package dev.smimepki.ca.ocsp;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.smimepki.ca.CaConfig;
import dev.smimepki.ca.authority.InMemoryCertificateAuthorities;
import dev.smimepki.ca.issuance.IssuedCertificate;
import dev.smimepki.ca.issuance.IssuedCertificateRepository;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;

/**
 * The OCSP responder ({@code POST /ocsp/{caId}} and the RFC 5019 GET form, past the rate limit) on hostile requests: it must always answer
 * with an OCSP response (an error status for a malformed request), never throw. The CA signs for real, from memory;
 * the certificate look-up finds nothing, so every serial is "unknown".
 */
class OcspRequestFuzzTest {
    private static final TestPki PKI = TestPki.create(KeyAlgorithm.EC_P256);
    private static final UUID CA_ID = UUID.randomUUID();
    private static final OcspResponder RESPONDER = new OcspResponder(
            new InMemoryCertificateAuthorities(CA_ID, PKI.issuingCa(), PKI.chain()), new NoCertificates(),
            config(), null);

    @MethodSource("seeds")
    @FuzzTest
    void request(byte[] request) throws IOException {
        // past the rate limit, which is not a parser (RateLimitsTest covers it)
        new OCSPResp(RESPONDER.answer(CA_ID, request));
        new OCSPResp(RESPONDER.answerBase64(CA_ID, new String(request, StandardCharsets.ISO_8859_1)));
    }

    /** Requests for one and for several certificates, with and without a nonce, and one GET form. */
    static Stream<byte[]> seeds() throws Exception {
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        X509CertificateHolder issuer = new X509CertificateHolder(PKI.issuingCa().certificate().der());
        EndEntity alice = PKI.issue("alice@example.com");
        CertificateID aliceId = new CertificateID(digests.get(CertificateID.HASH_SHA1), issuer,
                alice.certificate().serial());
        CertificateID otherId = new CertificateID(digests.get(CertificateID.HASH_SHA1),
                new X509CertificateHolder(PKI.root().certificate().der()), BigInteger.valueOf(42));
        byte[] single = new OCSPReqBuilder().addRequest(aliceId).build().getEncoded();
        byte[] withNonce = new OCSPReqBuilder().addRequest(aliceId).addRequest(otherId)
                .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(new DEROctetString(new byte[16]).getEncoded()))))
                .build().getEncoded();
        return Stream.of(single, withNonce, Base64.getEncoder().encode(single));
    }

    /** The certificate table, empty. */
    private static final class NoCertificates extends IssuedCertificateRepository {
        @Override
        public Optional<IssuedCertificate> findByIdOptional(String serial) {
            return Optional.empty();
        }
    }

    private static CaConfig config() {
        return new CaConfig() {
            @Override
            public String publicBaseUrl() {
                return "http://localhost:8081";
            }

            @Override
            public String keyEncryptionKey() {
                return null;
            }

            @Override
            public Issuance issuance() {
                return null;
            }

            @Override
            public Crl crl() {
                return null;
            }

            @Override
            public Ocsp ocsp() {
                return () -> Duration.ofHours(1);
            }

            @Override
            public Import caImport() {
                return null;
            }
        };
    }

}
