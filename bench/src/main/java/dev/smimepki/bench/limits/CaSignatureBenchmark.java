package dev.smimepki.bench.limits;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.smimepki.bench.BenchAlgorithms.Impl;
import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * The raw limit of issuance from a CSR on one core: check the CSR's proof of possession, build an S/MIME end-entity
 * certificate and sign it with the CA key. No database, no HTTP, no lint: what the platform can never beat.
 */
@State(Scope.Thread)
public class CaSignatureBenchmark {
    @Param({"EC_P256", "RSA_2048"})
    public String caKey;

    @Param({"BC", "JDK"})
    public String impl;

    private final AtomicLong serial = new AtomicLong();
    private ContentSigner caSigner;
    private X500Name caName;
    private byte[] csrDer;
    private JcaContentVerifierProviderBuilder verifiers;

    @Setup
    public void setUp() throws Exception {
        KeyAlgorithm algorithm = KeyAlgorithm.valueOf(caKey);
        Impl provider = Impl.valueOf(impl);
        KeyPair ca = LimitFixtures.keyPair(algorithm);
        X509Certificate caCertificate = LimitFixtures.selfSigned(algorithm, ca, "ca@bench.example", true);
        caName = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
        caSigner = LimitFixtures.signer(algorithm, ca.getPrivate(), provider);
        KeyPair subscriber = LimitFixtures.keyPair(KeyAlgorithm.EC_P256);
        csrDer = LimitFixtures.csr(KeyAlgorithm.EC_P256, subscriber, "alice@bench.example").getEncoded();
        verifiers = new JcaContentVerifierProviderBuilder();
        if (provider == Impl.BC) {
            verifiers.setProvider(BouncyCastle.provider());
        }
    }

    @Benchmark
    public X509CertificateHolder issueFromCsr() throws Exception {
        JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(csrDer));
        PublicKey key = csr.getPublicKey();
        if (!csr.isSignatureValid(verifiers.build(key))) {
            throw new IllegalStateException("CSR proof of possession failed");
        }
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName,
                BigInteger.valueOf(serial.incrementAndGet()).shiftLeft(64), Date.from(now),
                Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=alice@bench.example"), key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, "alice@bench.example")));
        return builder.build(caSigner);
    }
}
