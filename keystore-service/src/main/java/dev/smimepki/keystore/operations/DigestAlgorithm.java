package dev.smimepki.keystore.operations;

import java.util.function.Supplier;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/** The digests a caller may ask us to sign; the constant name is the API name. SHA-1 and MD5 are not offered. */
public enum DigestAlgorithm {
    SHA_256(NISTObjectIdentifiers.id_sha256, 32, SHA256Digest::new),
    SHA_384(NISTObjectIdentifiers.id_sha384, 48, SHA384Digest::new),
    SHA_512(NISTObjectIdentifiers.id_sha512, 64, SHA512Digest::new);

    private final ASN1ObjectIdentifier oid;
    private final int length;
    private final Supplier<Digest> digest;

    DigestAlgorithm(ASN1ObjectIdentifier oid, int length, Supplier<Digest> digest) {
        this.oid = oid;
        this.length = length;
        this.digest = digest;
    }

    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    /** Output length in bytes; also the PSS salt length (RFC 8017 section 9.1 recommends hLen). */
    public int length() {
        return length;
    }

    Digest newDigest() {
        return digest.get();
    }
}
