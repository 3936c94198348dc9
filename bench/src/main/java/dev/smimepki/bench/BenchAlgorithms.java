package dev.smimepki.bench;

import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;

import javax.crypto.Cipher;

import org.bouncycastle.cms.CMSAlgorithm;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.policy.AlgorithmPolicy;

/**
 * Every algorithm and provider choice of the bench in one place. JCA names come from pki-core's
 * {@link AlgorithmPolicy} or BouncyCastle OID constants; the strings left are openssl's command-line spelling for
 * the comparison runs, named below.
 */
public final class BenchAlgorithms {
    /** openssl cms content cipher, the same as the platform's default (AES-256-CBC). */
    public static final String OPENSSL_CONTENT_CIPHER = "-aes-256-cbc";
    /** openssl's name for the P-256 curve. */
    public static final String OPENSSL_CURVE_P256 = "prime256v1";

    private BenchAlgorithms() {
    }

    /** Who implements an operation: the JDK's default providers or BouncyCastle. */
    public enum Impl {
        JDK,
        BC;

        /** The BouncyCastle provider instance, or {@code null} for "the JDK's default provider order". */
        public Provider provider() {
            return this == BC ? BouncyCastle.provider() : null;
        }
    }

    /** SHA-256 (the digest of every S/MIME signature and fingerprint here). */
    public static MessageDigest sha256(Impl impl) throws Exception {
        return impl == Impl.BC
                ? MessageDigest.getInstance(AlgorithmPolicy.FINGERPRINT_DIGEST, impl.provider())
                : MessageDigest.getInstance(AlgorithmPolicy.FINGERPRINT_DIGEST);
    }

    /** AES-256-CBC without padding (callers feed whole blocks), named by its CMS OID. */
    public static Cipher aes256Cbc(Impl impl) throws Exception {
        String oid = CMSAlgorithm.AES256_CBC.getId();
        return impl == Impl.BC ? Cipher.getInstance(oid, impl.provider()) : Cipher.getInstance(oid);
    }

    public static KeyPairGenerator keyPairGenerator(dev.smimepki.core.policy.KeyAlgorithm algorithm, Impl impl)
            throws Exception {
        String name = AlgorithmPolicy.keyAlgorithmName(algorithm);
        KeyPairGenerator generator = impl == Impl.BC
                ? KeyPairGenerator.getInstance(name, impl.provider())
                : KeyPairGenerator.getInstance(name);
        generator.initialize(AlgorithmPolicy.keyGenerationSpec(algorithm), new SecureRandom());
        return generator;
    }

    public static Signature signature(dev.smimepki.core.policy.KeyAlgorithm algorithm, Impl impl) throws Exception {
        String name = AlgorithmPolicy.signatureAlgorithm(algorithm);
        return impl == Impl.BC ? Signature.getInstance(name, impl.provider()) : Signature.getInstance(name);
    }
}
