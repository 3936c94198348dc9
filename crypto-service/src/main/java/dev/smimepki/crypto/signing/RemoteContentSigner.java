package dev.smimepki.crypto.signing;

import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;

import dev.smimepki.crypto.keys.DigestAlgorithm;
import dev.smimepki.crypto.keys.SignatureScheme;
import dev.smimepki.crypto.keys.SignerKeys;

/**
 * A ContentSigner whose private key is elsewhere: the signed attributes are digested here and only the digest
 * travels to {@link SignerKeys#sign}. One instance signs once.
 */
final class RemoteContentSigner implements ContentSigner {
    private final SignerKeys keys;
    private final String keyId;
    private final SignatureScheme scheme;
    private final DigestAlgorithm digestAlgorithm;
    private final MessageDigest digest;
    private final OutputStream stream;

    RemoteContentSigner(SignerKeys keys, String keyId, SignatureScheme scheme, DigestAlgorithm digestAlgorithm) {
        this.keys = keys;
        this.keyId = keyId;
        this.scheme = scheme;
        this.digestAlgorithm = digestAlgorithm;
        try {
            // the JDK's SHA-2 uses CPU intrinsics (see the provider note)
            this.digest = MessageDigest.getInstance(digestAlgorithm.jcaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + digestAlgorithm.jcaName(), e);
        }
        this.stream = new DigestOutputStream(OutputStream.nullOutputStream(), digest);
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return scheme.algorithmIdentifier(digestAlgorithm);
    }

    @Override
    public OutputStream getOutputStream() {
        return stream;
    }

    @Override
    public byte[] getSignature() {
        return keys.sign(keyId, scheme, digestAlgorithm, digest.digest());
    }
}
