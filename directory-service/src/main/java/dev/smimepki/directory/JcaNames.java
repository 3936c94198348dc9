package dev.smimepki.directory;

/**
 * The JCA algorithm names this service cannot avoid (certification path building has no OID-based API); kept in one
 * place so that they can move to pki-core's AlgorithmPolicy.
 */
public final class JcaNames {
    /** RFC 5280 path building and validation ({@code CertPathBuilder}). */
    public static final String PKIX = "PKIX";
    /** An in-memory {@code CertStore} of candidate intermediates. */
    public static final String COLLECTION_CERT_STORE = "Collection";

    private JcaNames() {
    }
}
