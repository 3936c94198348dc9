package dev.smimepki.core.policy;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

import dev.smimepki.core.PolicyViolation;

/**
 * The one place that names algorithms: key generation, signatures, digests, CMS ciphers and what we accept from
 * others. Changing a choice here changes it for every service.
 */
public final class AlgorithmPolicy {
    /** Fingerprints are SHA-256 everywhere (directory, events, phone verification). */
    public static final String FINGERPRINT_DIGEST = "SHA-256";
    public static final int RSA_MIN_BITS = 2048;
    /** S/MIME BR section 6.1.6: e = 65537 only. */
    public static final BigInteger RSA_PUBLIC_EXPONENT = RSAKeyGenParameterSpec.F4;

    /** AES-256-CBC EnvelopedData: the default, because NSS and gpgsm 2.2 cannot read AES-GCM. */
    public static final ASN1ObjectIdentifier CMS_CONTENT_ENCRYPTION_CBC = CMSAlgorithm.AES256_CBC;
    /** AES-256-GCM AuthEnvelopedData (RFC 8551 MUST): only when every recipient announced it. */
    public static final ASN1ObjectIdentifier CMS_CONTENT_ENCRYPTION_GCM = CMSAlgorithm.AES256_GCM;

    /** The {@link java.security.KeyStore} type of PKCS#12 files (RFC 7292): CA import, locally made subscriber files. */
    public static final String PKCS12_KEY_STORE = "PKCS12";
    /** Certification path building and validation (RFC 5280 section 6). */
    public static final String CERT_PATH_PKIX = "PKIX";
    /** The in-memory {@link java.security.cert.CertStore} type that hands candidate intermediates to the builder. */
    public static final String COLLECTION_CERT_STORE = "Collection";
    /** JCA names of the digests CMS signs with (SHA-256 and stronger). */
    public static final String DIGEST_SHA256 = "SHA-256";
    public static final String DIGEST_SHA384 = "SHA-384";
    public static final String DIGEST_SHA512 = "SHA-512";
    public static final String AES = "AES";
    /**
     * AES-CBC with the PKCS#7 padding CMS uses (RFC 3565; JCA calls it PKCS5Padding), decrypted with the JDK provider,
     * whose AES uses CPU intrinsics.
     */
    public static final String AES_CBC = "AES/CBC/PKCS5Padding";
    /** AES in counter mode: staged plaintext under a throw-away key (no padding, any length, streams). */
    public static final String AES_CTR = "AES/CTR/NoPadding";

    static final String KEY_RSA = "RSA";
    static final String KEY_EC = "EC";
    private static final String SHA256_WITH_RSA = "SHA256withRSA";
    private static final String SHA256_WITH_ECDSA = "SHA256withECDSA";
    private static final String SHA384_WITH_ECDSA = "SHA384withECDSA";
    private static final String CURVE_P256 = "secp256r1";
    private static final String CURVE_P384 = "secp384r1";

    private static final Map<ASN1ObjectIdentifier, KeyAlgorithm> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, KeyAlgorithm.EC_P256,
            SECObjectIdentifiers.secp384r1, KeyAlgorithm.EC_P384);

    /** SHA-256 or stronger; SHA-1 and MD5 signatures are refused (S/MIME BR section 7.1.3.2). */
    private static final Set<ASN1ObjectIdentifier> ACCEPTED_SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption,
            PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);
    private static final Set<ASN1ObjectIdentifier> ACCEPTED_DIGESTS = Set.of(
            NISTObjectIdentifiers.id_sha256,
            NISTObjectIdentifiers.id_sha384,
            NISTObjectIdentifiers.id_sha512);

    private AlgorithmPolicy() {
    }

    /** The JCA key algorithm name for generating or decoding keys of this type. */
    public static String keyAlgorithmName(KeyAlgorithm algorithm) {
        return algorithm.isRsa() ? KEY_RSA : KEY_EC;
    }

    public static AlgorithmParameterSpec keyGenerationSpec(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case RSA_2048, RSA_3072, RSA_4096 -> new RSAKeyGenParameterSpec(algorithm.keySize(), RSA_PUBLIC_EXPONENT);
            case EC_P256 -> new ECGenParameterSpec(CURVE_P256);
            case EC_P384 -> new ECGenParameterSpec(CURVE_P384);
        };
    }

    /**
     * The signature algorithm for a key. RSA signs with SHA-256 at every size, RSA-4096 included: SHA-256 is what
     * every client verifies and what {@code micalg=sha-256} announces, and PKCS#1 v1.5 because gpgsm 2.2 reports
     * RSASSA-PSS as bad. EC pairs the hash with the curve strength (RFC 5480 section 4).
     */
    public static String signatureAlgorithm(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case RSA_2048, RSA_3072, RSA_4096 -> SHA256_WITH_RSA;
            case EC_P256 -> SHA256_WITH_ECDSA;
            case EC_P384 -> SHA384_WITH_ECDSA;
        };
    }

    /** The message digest matching {@link #signatureAlgorithm(KeyAlgorithm)}, e.g. for CMS signer infos. */
    public static String digestAlgorithm(KeyAlgorithm algorithm) {
        return algorithm == KeyAlgorithm.EC_P384 ? DIGEST_SHA384 : DIGEST_SHA256;
    }

    /** Whether a signature on a CSR, certificate, CRL or message uses SHA-256 or stronger with RSA or ECDSA. */
    public static boolean isAcceptedSignatureAlgorithm(AlgorithmIdentifier signatureAlgorithm) {
        ASN1ObjectIdentifier oid = signatureAlgorithm.getAlgorithm();
        if (ACCEPTED_SIGNATURES.contains(oid)) {
            return true;
        }
        if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(oid)) {
            try {
                ASN1Encodable parameters = signatureAlgorithm.getParameters();
                return parameters != null && !DERNull.INSTANCE.equals(parameters) && ACCEPTED_DIGESTS.contains(
                        RSASSAPSSparams.getInstance(parameters).getHashAlgorithm().getAlgorithm());
            } catch (RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    /** Throws a {@link PolicyViolation} naming the algorithm unless it is accepted; {@code what} e.g. "CSR". */
    public static void requireAcceptedSignatureAlgorithm(AlgorithmIdentifier signatureAlgorithm, String what) {
        if (!isAcceptedSignatureAlgorithm(signatureAlgorithm)) {
            throw new PolicyViolation(what + " signature algorithm " + algorithmName(signatureAlgorithm)
                    + " is not accepted; SHA-256 or stronger with RSA or ECDSA is required");
        }
    }

    /** A readable name for an algorithm identifier, its OID when BouncyCastle has no name for it. */
    public static String algorithmName(AlgorithmIdentifier algorithm) {
        return new DefaultAlgorithmNameFinder().getAlgorithmName(algorithm);
    }

    /** See {@link KeyAlgorithm#of(PublicKey)}. */
    static KeyAlgorithm keyAlgorithmOf(PublicKey key) {
        SubjectPublicKeyInfo info = subjectPublicKeyInfo(key);
        ASN1ObjectIdentifier type = info.getAlgorithm().getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(type)) {
            return rsaKeyAlgorithm(info);
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(type)) {
            ASN1Encodable parameters = info.getAlgorithm().getParameters();
            if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
                throw new PolicyViolation("EC key with explicit or implicit curve parameters is not supported; "
                        + "use the named curve P-256 or P-384");
            }
            KeyAlgorithm algorithm = CURVES.get(curve);
            if (algorithm == null) {
                throw new PolicyViolation("EC curve " + curveName(curve) + " is not supported; use P-256 or P-384");
            }
            return algorithm;
        }
        throw new PolicyViolation("key type " + key.getAlgorithm() + " is not supported; use RSA or EC");
    }

    /** E.g. {@code RSA 2048}, {@code EC P-256}, {@code EC secp256k1}, {@code Ed25519}: for display and logs. */
    public static String describe(PublicKey key) {
        try {
            SubjectPublicKeyInfo info = subjectPublicKeyInfo(key);
            ASN1ObjectIdentifier type = info.getAlgorithm().getAlgorithm();
            if (PKCSObjectIdentifiers.rsaEncryption.equals(type)) {
                return KEY_RSA + " " + RSAPublicKey.getInstance(info.parsePublicKey()).getModulus().bitLength();
            }
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(type)) {
                ASN1Encodable parameters = info.getAlgorithm().getParameters();
                return KEY_EC + " " + (parameters instanceof ASN1ObjectIdentifier curve
                        ? curveName(curve)
                        : "explicit parameters");
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the provider's name
        }
        return key.getAlgorithm();
    }

    private static KeyAlgorithm rsaKeyAlgorithm(SubjectPublicKeyInfo info) {
        RSAPublicKey rsa;
        try {
            rsa = RSAPublicKey.getInstance(info.parsePublicKey());
        } catch (IOException | RuntimeException e) {
            throw new PolicyViolation("RSA public key is malformed");
        }
        int bits = rsa.getModulus().bitLength();
        List<String> violations = new ArrayList<>();
        if (bits < RSA_MIN_BITS) {
            violations.add("RSA key of " + bits + " bits is below the minimum of " + RSA_MIN_BITS + " bits");
        } else if (bits % 8 != 0) {
            violations.add("RSA modulus of " + bits + " bits is not a multiple of 8");
        }
        if (!RSA_PUBLIC_EXPONENT.equals(rsa.getPublicExponent())) {
            violations.add("RSA public exponent " + rsa.getPublicExponent() + " is not " + RSA_PUBLIC_EXPONENT);
        }
        KeyAlgorithm match = null;
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            if (algorithm.isRsa() && algorithm.keySize() == bits) {
                match = algorithm;
            }
        }
        if (match == null && violations.isEmpty()) {
            violations.add("RSA key of " + bits + " bits is not one of the supported sizes 2048, 3072, 4096");
        }
        if (!violations.isEmpty()) {
            throw new PolicyViolation(violations);
        }
        return match;
    }

    private static SubjectPublicKeyInfo subjectPublicKeyInfo(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new PolicyViolation("public key of type " + key.getAlgorithm() + " has no encoding");
        }
        try {
            return SubjectPublicKeyInfo.getInstance(encoded);
        } catch (RuntimeException e) {
            throw new PolicyViolation("public key of type " + key.getAlgorithm() + " is malformed");
        }
    }

    /** The NIST name where there is one (P-256), else the SEC/X9.62 name (secp256k1), else the OID. */
    private static String curveName(ASN1ObjectIdentifier curve) {
        String nist = NISTNamedCurves.getName(curve);
        if (nist != null) {
            return nist;
        }
        String name = ECNamedCurveTable.getName(curve);
        return name != null ? name : curve.getId();
    }
}
