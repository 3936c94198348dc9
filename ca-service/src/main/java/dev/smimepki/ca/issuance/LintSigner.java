package dev.smimepki.ca.issuance;

import java.io.OutputStream;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;

/**
 * Produces the to-be-signed certificate exactly as the CA will sign it (same signature algorithm identifier), with an
 * empty signature, so the lint sees the real TBSCertificate before the CA key touches it.
 */
final class LintSigner implements ContentSigner {
    private final AlgorithmIdentifier algorithm;

    LintSigner(AlgorithmIdentifier algorithm) {
        this.algorithm = algorithm;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public byte[] getSignature() {
        return new byte[0];
    }
}
