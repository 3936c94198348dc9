package dev.smimepki.keystore.operations;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.encodings.PKCS1Encoding;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/** Signs a digest computed elsewhere (crypto-service hashes the message; only the signature needs the key). */
final class DigestSigner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestSigner() {
    }

    static byte[] sign(PrivateKeyInfo privateKey, SignatureScheme scheme, DigestAlgorithm algorithm, byte[] digest) {
        if (digest.length != algorithm.length()) {
            throw new ProblemException(Kind.MALFORMED, "digest-length", "a " + algorithm + " digest is "
                    + algorithm.length() + " bytes, this one is " + digest.length);
        }
        AsymmetricKeyParameter key = keyParameter(privateKey);
        boolean rsa = key instanceof RSAKeyParameters;
        if (scheme.needsRsa() != rsa || (!rsa && !(key instanceof ECPrivateKeyParameters))) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, "unsupported-scheme",
                    "scheme " + scheme + " does not fit this key's type");
        }
        try {
            return switch (scheme) {
                case RSA_PKCS1 -> pkcs1(key, algorithm, digest);
                case RSA_PSS -> pss(key, algorithm, digest);
                case ECDSA -> ecdsa((ECPrivateKeyParameters) key, algorithm, digest);
            };
        } catch (CryptoException | IOException e) {
            throw new IllegalStateException("cannot sign with a stored " + scheme + " key", e);
        }
    }

    private static byte[] pkcs1(AsymmetricKeyParameter key, DigestAlgorithm algorithm, byte[] digest)
            throws IOException, InvalidCipherTextException {
        byte[] digestInfo = new DigestInfo(new AlgorithmIdentifier(algorithm.oid(), DERNull.INSTANCE), digest)
                .getEncoded(ASN1Encoding.DER);
        // With a private key in "encrypt" mode, PKCS1Encoding pads as block type 1: a signature (RFC 8017 9.2).
        PKCS1Encoding rsa = new PKCS1Encoding(new RSABlindedEngine());
        rsa.init(true, new ParametersWithRandom(key, RANDOM));
        return rsa.processBlock(digestInfo, 0, digestInfo.length);
    }

    private static byte[] pss(AsymmetricKeyParameter key, DigestAlgorithm algorithm, byte[] digest)
            throws CryptoException {
        PSSSigner signer = PSSSigner.createRawSigner(new RSABlindedEngine(), algorithm.newDigest(),
                algorithm.newDigest(), algorithm.length(), PSSSigner.TRAILER_IMPLICIT);
        signer.init(true, new ParametersWithRandom(key, RANDOM));
        signer.update(digest, 0, digest.length);
        return signer.generateSignature();
    }

    private static byte[] ecdsa(ECPrivateKeyParameters key, DigestAlgorithm algorithm, byte[] digest)
            throws IOException {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(algorithm.newDigest()));
        signer.init(true, key);
        BigInteger[] rs = signer.generateSignature(digest);
        return StandardDSAEncoding.INSTANCE.encode(key.getParameters().getN(), rs[0], rs[1]);
    }

    private static AsymmetricKeyParameter keyParameter(PrivateKeyInfo privateKey) {
        try {
            return PrivateKeyFactory.createKey(privateKey);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a stored private key does not decode", e);
        }
    }
}
