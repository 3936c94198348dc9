package dev.smimepki.crypto.keys;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import dev.smimepki.core.policy.KeyAlgorithm;

/** How a digest is turned into a signature; the constant name is keystore-service's wire name. */
public enum SignatureScheme {
    /** RSA PKCS#1 v1.5: the default, because gpgsm 2.2 reports RSASSA-PSS signatures as bad. */
    RSA_PKCS1,
    /** RSASSA-PSS, MGF1 with the same digest, salt as long as the digest, trailer 1 (RFC 4056). */
    RSA_PSS,
    ECDSA;

    /** The default for a key type. */
    public static SignatureScheme defaultFor(KeyAlgorithm key) {
        return key.isRsa() ? RSA_PKCS1 : ECDSA;
    }

    public boolean fits(KeyAlgorithm key) {
        return key.isRsa() ? this != ECDSA : this == ECDSA;
    }

    /** The signatureAlgorithm identifier of a signature made with this scheme and digest. */
    public AlgorithmIdentifier algorithmIdentifier(DigestAlgorithm digest) {
        return switch (this) {
            case RSA_PKCS1 -> new AlgorithmIdentifier(switch (digest) {
                case SHA_256 -> PKCSObjectIdentifiers.sha256WithRSAEncryption;
                case SHA_384 -> PKCSObjectIdentifiers.sha384WithRSAEncryption;
                case SHA_512 -> PKCSObjectIdentifiers.sha512WithRSAEncryption;
            }, DERNull.INSTANCE);
            case RSA_PSS -> {
                AlgorithmIdentifier hash = new AlgorithmIdentifier(digest.oid(), DERNull.INSTANCE);
                yield new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(hash,
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash),
                        new ASN1Integer(digest.length()), RSASSAPSSparams.DEFAULT_TRAILER_FIELD));
            }
            case ECDSA -> new AlgorithmIdentifier(switch (digest) {
                case SHA_256 -> X9ObjectIdentifiers.ecdsa_with_SHA256;
                case SHA_384 -> X9ObjectIdentifiers.ecdsa_with_SHA384;
                case SHA_512 -> X9ObjectIdentifiers.ecdsa_with_SHA512;
            });
        };
    }
}
