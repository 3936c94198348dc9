package dev.smimepki.core.policy;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.stream.Collectors;

import dev.smimepki.core.PkiFormatException;

/**
 * The key types the platform generates and accepts (S/MIME Baseline Requirements section 6.1.5); the constant name
 * is the API name.
 */
public enum KeyAlgorithm {
    RSA_2048(true, 2048),
    RSA_3072(true, 3072),
    RSA_4096(true, 4096),
    EC_P256(false, 256),
    EC_P384(false, 384);

    private final boolean rsa;
    private final int keySize;

    KeyAlgorithm(boolean rsa, int keySize) {
        this.rsa = rsa;
        this.keySize = keySize;
    }

    public boolean isRsa() {
        return rsa;
    }

    public boolean isEc() {
        return !rsa;
    }

    /** Modulus length for RSA, field size for EC, in bits. */
    public int keySize() {
        return keySize;
    }

    /** The JCA signature algorithm a key of this type signs with; see {@link AlgorithmPolicy}. */
    public String signatureAlgorithm() {
        return AlgorithmPolicy.signatureAlgorithm(this);
    }

    /** Identifies an acceptable public key, or throws {@link dev.smimepki.core.PolicyViolation} naming every flaw. */
    public static KeyAlgorithm of(PublicKey key) {
        return AlgorithmPolicy.keyAlgorithmOf(key);
    }

    /** The algorithm for an API name such as {@code EC_P256}; exact match only. */
    public static KeyAlgorithm fromName(String name) {
        for (KeyAlgorithm algorithm : values()) {
            if (algorithm.name().equals(name)) {
                return algorithm;
            }
        }
        throw new PkiFormatException("unknown key algorithm; valid: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
