package dev.smimepki.keystore.operations;

/** How a digest is signed; the constant name is the API name. */
public enum SignatureScheme {
    /** RSASSA-PKCS1-v1_5 over the DigestInfo (RFC 8017 section 8.2): what every S/MIME client verifies. */
    RSA_PKCS1,
    /** RSASSA-PSS, MGF1 with the same digest, salt as long as the digest (RFC 8017 section 8.1, RFC 4056). */
    RSA_PSS,
    /** ECDSA with a deterministic nonce (RFC 6979), DER-encoded as ECDSA-Sig-Value (RFC 5753 section 7.2). */
    ECDSA;

    boolean needsRsa() {
        return this != ECDSA;
    }
}
