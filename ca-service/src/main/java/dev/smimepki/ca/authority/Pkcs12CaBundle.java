package dev.smimepki.ca.authority;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * A CA's private key and certificate as a PKCS#12 file carried them, with the certificates the file holds above it.
 * STYLE.md keeps PKCS#12 in keystore-service; reading a CA bundle to import it is the one exception, as the CA key
 * must never reach another service.
 *
 * @param privateKey the one private key of the file, as a BouncyCastle key
 * @param certificate the certificate of that key
 * @param above the certificates the file holds above it, its issuer first, as linked by issuer name; unverified
 */
record Pkcs12CaBundle(PrivateKey privateKey, Certificate certificate, List<Certificate> above) {

    Pkcs12CaBundle {
        above = List.copyOf(above);
    }

    /**
     * Reads the file with the JDK's PKCS#12 key store, which takes both what {@code openssl pkcs12 -export} writes
     * by default (PBES2 with AES-256-CBC, SHA-256 MAC) and with {@code -legacy} (PBE-SHA1-3DES keys, RC2-40
     * certificates, SHA-1 MAC).
     */
    static Pkcs12CaBundle read(byte[] pkcs12, char[] password) {
        KeyStore store = load(pkcs12, password);
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.isEmpty()) {
                throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "pkcs12-no-private-key",
                        "the PKCS#12 file holds no private key; export the CA's key together with its certificate");
            }
            if (keyAliases.size() > 1) {
                throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "pkcs12-several-private-keys",
                        "the PKCS#12 file holds " + keyAliases.size() + " private keys; import one CA per file");
            }
            String alias = keyAliases.get(0);
            Key key = store.getKey(alias, password);
            java.security.cert.Certificate[] chain = store.getCertificateChain(alias);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "pkcs12-no-private-key",
                        "the key in the PKCS#12 file is not a private key");
            }
            if (chain == null || chain.length == 0) {
                throw new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "pkcs12-no-certificate",
                        "the private key in the PKCS#12 file comes without its certificate");
            }
            List<Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate certificate : chain) {
                if (!(certificate instanceof X509Certificate x509)) {
                    throw malformed("the PKCS#12 file holds a certificate that is not X.509", null);
                }
                certificates.add(Certificate.of(x509));
            }
            // Normalised to a BouncyCastle key, as generated CA keys are, so sealing and signing see one key type.
            PrivateKey normalised = KeyPairs.privateKeyFromDer(privateKey.getEncoded());
            return new Pkcs12CaBundle(normalised, certificates.get(0), certificates.subList(1, certificates.size()));
        } catch (UnrecoverableKeyException e) {
            // The store opened but the key is protected by another password (openssl always uses one for both).
            throw wrongPassword(e);
        } catch (KeyStoreException | NoSuchAlgorithmException | PkiFormatException e) {
            throw malformed("the PKCS#12 file holds a key or certificate that cannot be read", e);
        }
    }

    private static KeyStore load(byte[] pkcs12, char[] password) {
        KeyStore store;
        try {
            store = KeyStore.getInstance(AlgorithmPolicy.PKCS12_KEY_STORE);
        } catch (KeyStoreException e) {
            throw new IllegalStateException("the JDK offers no PKCS#12 key store", e);
        }
        try {
            store.load(new ByteArrayInputStream(pkcs12), password);
            return store;
        } catch (IOException e) {
            // The JDK reports a failed MAC check or a safe that does not decrypt as an IOException caused by
            // UnrecoverableKeyException; anything else is a file that is not PKCS#12 (RFC 7292) at all.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw wrongPassword(e);
            }
            throw malformed("the upload is not a readable PKCS#12 file", e);
        } catch (NoSuchAlgorithmException | CertificateException | RuntimeException | StackOverflowError e) {
            // Unknown protection algorithms, unparsable certificates, and hostile DER the parser trips over.
            throw malformed("the upload is not a readable PKCS#12 file", e);
        }
    }

    private static ProblemException wrongPassword(Exception cause) {
        return new ProblemException(ProblemException.Kind.REFUSED_BY_POLICY, "pkcs12-wrong-password",
                "the password does not open the PKCS#12 file", List.of(), cause);
    }

    private static ProblemException malformed(String detail, Throwable cause) {
        return new ProblemException(ProblemException.Kind.MALFORMED, "pkcs12-malformed", detail, List.of(), cause);
    }
}
