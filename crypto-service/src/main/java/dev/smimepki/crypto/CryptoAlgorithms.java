package dev.smimepki.crypto;

/**
 * Every JCA algorithm name crypto-service has to spell, in one place (they belong in pki-core's AlgorithmPolicy
 * eventually). Everything expressible as a BouncyCastle OID constant is expressed that way instead.
 */
public final class CryptoAlgorithms {
    /** Certification path building and validation (RFC 5280 section 6). */
    public static final String PKIX = "PKIX";
    /** The in-memory CertStore type that hands intermediates to the path builder. */
    public static final String COLLECTION_CERT_STORE = "Collection";
    public static final String SHA_256 = "SHA-256";
    public static final String SHA_384 = "SHA-384";
    public static final String SHA_512 = "SHA-512";
    /** AES in counter mode: encrypts staged plaintext under a throw-away key (no padding, streams any length). */
    public static final String AES_CTR = "AES/CTR/NoPadding";
    public static final String AES = "AES";
    /**
     * AES-CBC with the PKCS#7 padding CMS uses (RFC 3565; JCA calls it PKCS5Padding): EnvelopedData content, decrypted
     * with the JDK provider, whose AES uses CPU intrinsics.
     */
    public static final String AES_CBC = "AES/CBC/PKCS5Padding";

    private CryptoAlgorithms() {
    }
}
