package dev.smimepki.bench.limits;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import dev.smimepki.bench.BenchAlgorithms;
import dev.smimepki.bench.BenchAlgorithms.Impl;
import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;

/** Keys, certificates and CSRs the JMH benchmarks start from, made once per trial, outside the measurement. */
final class LimitFixtures {
    private LimitFixtures() {
    }

    static KeyPair keyPair(KeyAlgorithm algorithm) throws Exception {
        return BenchAlgorithms.keyPairGenerator(algorithm, Impl.BC).generateKeyPair();
    }

    static ContentSigner signer(KeyAlgorithm algorithm, PrivateKey key, Impl impl) throws Exception {
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(AlgorithmPolicy.signatureAlgorithm(algorithm));
        if (impl == Impl.BC) {
            builder.setProvider(BouncyCastle.provider());
        }
        return builder.build(key);
    }

    static X509Certificate selfSigned(KeyAlgorithm algorithm, KeyPair keyPair, String email, boolean ca)
            throws Exception {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + email);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(30))), subject,
                keyPair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, ca
                ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider())
                .getCertificate(builder.build(signer(algorithm, keyPair.getPrivate(), Impl.BC)));
    }

    static PKCS10CertificationRequest csr(KeyAlgorithm algorithm, KeyPair keyPair, String email) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + email), keyPair.getPublic())
                .build(signer(algorithm, keyPair.getPrivate(), Impl.BC));
    }
}
