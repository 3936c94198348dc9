package dev.smimepki.core.policy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.PkiFormatException;

/**
 * Key pair generation and key decoding. Both RSA and EC go through BouncyCastle so that every service (and the
 * native image) produces the same key classes whatever JDK providers are installed.
 */
public final class KeyPairs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyPairs() {
    }

    public static KeyPair generate(KeyAlgorithm algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(
                    AlgorithmPolicy.keyAlgorithmName(algorithm), BouncyCastle.provider());
            generator.initialize(AlgorithmPolicy.keyGenerationSpec(algorithm), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("BouncyCastle cannot generate " + algorithm + " keys", e);
        }
    }

    /** Decodes an unencrypted PKCS#8 PrivateKeyInfo (the body of a {@code PRIVATE KEY} PEM block). */
    public static PrivateKey privateKeyFromDer(byte[] pkcs8) {
        try {
            return new JcaPEMKeyConverter().setProvider(BouncyCastle.provider())
                    .getPrivateKey(PrivateKeyInfo.getInstance(pkcs8));
        } catch (PEMException | RuntimeException | StackOverflowError e) {
            throw new PkiFormatException("not a DER-encoded PKCS#8 private key", e);
        }
    }

    /** Decodes a SubjectPublicKeyInfo (the body of a {@code PUBLIC KEY} PEM block). */
    public static PublicKey publicKeyFromDer(byte[] spki) {
        try {
            return new JcaPEMKeyConverter().setProvider(BouncyCastle.provider())
                    .getPublicKey(SubjectPublicKeyInfo.getInstance(spki));
        } catch (PEMException | RuntimeException | StackOverflowError e) {
            throw new PkiFormatException("not a DER-encoded public key", e);
        }
    }
}
