package dev.smimepki.crypto.keys;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;

import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;

/** The message digests a signature may use; the constant name is keystore-service's wire name. */
public enum DigestAlgorithm {
    SHA_256(NISTObjectIdentifiers.id_sha256, AlgorithmPolicy.DIGEST_SHA256, "sha-256", 32),
    SHA_384(NISTObjectIdentifiers.id_sha384, AlgorithmPolicy.DIGEST_SHA384, "sha-384", 48),
    SHA_512(NISTObjectIdentifiers.id_sha512, AlgorithmPolicy.DIGEST_SHA512, "sha-512", 64);

    private final ASN1ObjectIdentifier oid;
    private final String jcaName;
    private final String micalg;
    private final int length;

    DigestAlgorithm(ASN1ObjectIdentifier oid, String jcaName, String micalg, int length) {
        this.oid = oid;
        this.jcaName = jcaName;
        this.micalg = micalg;
        this.length = length;
    }

    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    public String jcaName() {
        return jcaName;
    }

    /** The {@code micalg} parameter of multipart/signed (RFC 8551 section 3.5.3.2). */
    public String micalg() {
        return micalg;
    }

    /** Digest length in bytes; also the RSASSA-PSS salt length we use (RFC 8702 practice). */
    public int length() {
        return length;
    }

    /** The digest the platform policy pairs with a key type (SHA-384 for P-384, else SHA-256). */
    public static DigestAlgorithm forKey(KeyAlgorithm key) {
        return ofJcaName(AlgorithmPolicy.digestAlgorithm(key));
    }

    public static DigestAlgorithm ofJcaName(String name) {
        for (DigestAlgorithm digest : values()) {
            if (digest.jcaName.equals(name)) {
                return digest;
            }
        }
        throw new IllegalArgumentException("no digest named " + name);
    }

    /** The digest for an OID, or null when it is not one we accept (SHA-1, MD5 and the like). */
    public static DigestAlgorithm ofOid(ASN1ObjectIdentifier oid) {
        for (DigestAlgorithm digest : values()) {
            if (digest.oid.equals(oid)) {
                return digest;
            }
        }
        return null;
    }
}
