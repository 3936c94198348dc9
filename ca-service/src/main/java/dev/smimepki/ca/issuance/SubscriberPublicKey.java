package dev.smimepki.ca.issuance;

import java.io.IOException;
import java.security.PublicKey;
import java.util.List;

import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * The public key a subscriber proved it holds by signing a PKCS#10 request (RFC 2986). Only the key is taken from
 * the CSR; its subject and requested extensions are ignored.
 *
 * @param key the subscriber's public key
 * @param algorithm its accepted type
 */
record SubscriberPublicKey(PublicKey key, KeyAlgorithm algorithm) {

    /**
     * Decodes a PEM CSR and checks its signature. Not a CSR or a signature that does not verify with the CSR's own
     * key (400); a key or signature algorithm the platform refuses (422, naming the problem).
     */
    static SubscriberPublicKey fromCsr(String pem) {
        PKCS10CertificationRequest csr = parse(pem);
        PublicKey key = publicKey(csr);
        boolean signatureValid;
        try {
            signatureValid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                    .setProvider(BouncyCastle.provider())
                    .build(csr.getSubjectPublicKeyInfo()));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw malformed("csr-signature-invalid",
                    "the CSR signature cannot be checked: its algorithm or key is not usable", e);
        }
        if (!signatureValid) {
            throw malformed("csr-signature-invalid",
                    "the CSR signature does not verify with the CSR's public key (no proof of possession)", null);
        }
        AlgorithmPolicy.requireAcceptedSignatureAlgorithm(csr.getSignatureAlgorithm(), "CSR");
        return new SubscriberPublicKey(key, KeyAlgorithm.of(key));
    }

    private static PKCS10CertificationRequest parse(String pem) {
        byte[] der;
        try {
            der = Pem.decodeOne(pem, PemType.CERTIFICATE_REQUEST);
        } catch (PkiFormatException e) {
            throw malformed("csr-malformed", "csr is not one PEM CERTIFICATE REQUEST block: " + e.getMessage(), e);
        }
        try {
            return new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw malformed("csr-malformed", "csr is not a DER PKCS#10 certification request", e);
        }
    }

    static ProblemException malformed(String code, String detail, Throwable cause) {
        return new ProblemException(ProblemException.Kind.MALFORMED, code, detail,
                List.of(new Problem.Violation("csr", code, detail)), cause);
    }

    private static PublicKey publicKey(PKCS10CertificationRequest csr) {
        try {
            return KeyPairs.publicKeyFromDer(csr.getSubjectPublicKeyInfo().getEncoded());
        } catch (IOException | PkiFormatException e) {
            throw malformed("csr-malformed", "the CSR public key cannot be decoded", e);
        }
    }
}
