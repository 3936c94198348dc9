package dev.smimepki.ca;

/**
 * The JCA names ca-service needs that neither a BouncyCastle OID constant nor pki-core's AlgorithmPolicy expresses;
 * kept in this one place until they move into AlgorithmPolicy.
 */
public final class JcaNames {
    /** The {@link java.security.KeyStore} type of PKCS#12 files (RFC 7292), read when a CA is imported. */
    public static final String PKCS12_KEYSTORE = "PKCS12";

    private JcaNames() {
    }
}
