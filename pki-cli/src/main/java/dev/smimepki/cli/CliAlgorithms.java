package dev.smimepki.cli;

/**
 * The JCA names the CLI cannot express through pki-core's AlgorithmPolicy/KeyAlgorithm or a BouncyCastle OID
 * constant; all of them here, in one place, to move into AlgorithmPolicy.
 */
final class CliAlgorithms {

    /**
     * The JDK key store type that writes a PKCS#12 file (JDK 17 defaults: PBES2 AES-256 with PBKDF2-HMAC-SHA256 and an
     * HMAC-SHA256 MAC), used for the PKCS#12 a subscriber with a locally made key uploads to keystore-service.
     */
    static final String PKCS12_KEY_STORE = "PKCS12";

    private CliAlgorithms() {
    }
}
