package dev.smimepki.ca.authority;

import java.security.PrivateKey;
import java.util.UUID;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.policy.KeyAlgorithm;

/** A CA ready to sign certificates, CRLs and OCSP responses; its private key never leaves this object. */
public final class CaSigner {
    private final UUID caId;
    private final Certificate certificate;
    private final CertificateChain chain;
    private final KeyAlgorithm keyAlgorithm;
    private final PrivateKey privateKey;
    private final boolean mayCertifyCas;

    CaSigner(UUID caId, CertificateChain chain, KeyAlgorithm keyAlgorithm, PrivateKey privateKey,
            boolean mayCertifyCas) {
        this.caId = caId;
        this.certificate = chain.certificates().get(0);
        this.chain = chain;
        this.keyAlgorithm = keyAlgorithm;
        this.privateKey = privateKey;
        this.mayCertifyCas = mayCertifyCas;
    }

    public UUID caId() {
        return caId;
    }

    public Certificate certificate() {
        return certificate;
    }

    public X509CertificateHolder certificateHolder() {
        return new X509CertificateHolder(org.bouncycastle.asn1.x509.Certificate.getInstance(certificate.der()));
    }

    /** This CA's certificate up to the root, this CA first. */
    public CertificateChain chain() {
        return chain;
    }

    /**
     * Whether this CA may sign other CA certificates, as the basicConstraints path lengths of its chain allow: roots
     * made here may, issuing CAs made here have pathLen 0; an imported CA follows its own certificates.
     */
    boolean mayCertifyCas() {
        return mayCertifyCas;
    }

    /** A fresh signer with the algorithm {@link dev.smimepki.core.policy.AlgorithmPolicy} pairs with the key. */
    public ContentSigner contentSigner() {
        return contentSigner(keyAlgorithm, privateKey);
    }

    static ContentSigner contentSigner(KeyAlgorithm keyAlgorithm, PrivateKey privateKey) {
        try {
            return new JcaContentSignerBuilder(keyAlgorithm.signatureAlgorithm())
                    .setProvider(BouncyCastle.provider())
                    .build(privateKey);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + keyAlgorithm + " key", e);
        }
    }

    @Override
    public String toString() {
        return "CaSigner[" + caId + "]";
    }
}
