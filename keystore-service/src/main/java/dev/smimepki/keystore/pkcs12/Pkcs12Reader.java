package dev.smimepki.keystore.pkcs12;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Reads a PKCS#12 file (RFC 7292) as OpenSSL, NSS, macOS and Windows write them: PBES2 with AES (modern) or
 * PKCS#12 PBE with 3DES and RC2 (legacy), SHA-1 or SHA-2 MAC. Refusals carry their own codes: a wrong password is not
 * a corrupt file.
 */
final class Pkcs12Reader {
    static final String MALFORMED = "pkcs12-malformed";
    static final String WRONG_PASSWORD = "pkcs12-wrong-password";
    static final String NO_KEY = "pkcs12-no-key";
    static final String SEVERAL_KEYS = "pkcs12-several-keys";
    static final String KEY_MISMATCH = "pkcs12-key-mismatch";
    static final String TOO_MANY_ITERATIONS = "pkcs12-too-many-iterations";
    /**
     * Most key-derivation iterations a file may ask for, for its MAC and each encryption: over three times the 600000
     * of our own modern export. The count is the file's to choose, and 2^31 iterations would hold a thread for hours.
     */
    static final int MAX_ITERATIONS = 2_000_000;

    private Pkcs12Reader() {
    }

    static Pkcs12Contents read(byte[] file, char[] password) {
        PKCS12PfxPdu pfx;
        try {
            if (file.length == 0) {
                // BouncyCastle would build a PDU around nothing that fails with a NullPointerException on first use
                throw new IOException("empty file");
            }
            pfx = new PKCS12PfxPdu(file);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new ProblemException(Kind.MALFORMED, MALFORMED, "the file is not a PKCS#12 (PFX) structure",
                    List.of(), e);
        }
        if (pfx.hasMac()) {
            requireBoundedIterations(pfx.toASN1Structure().getMacData().getIterationCount());
            boolean valid;
            try {
                valid = pfx.isMacValid(new JcePKCS12MacCalculatorBuilderProvider()
                        .setProvider(BouncyCastle.provider()), password);
            } catch (PKCSException | RuntimeException e) {
                throw new ProblemException(Kind.MALFORMED, MALFORMED, "the PKCS#12 integrity MAC cannot be checked:"
                        + " damaged, or an unsupported MAC algorithm", List.of(), e);
            }
            if (!valid) {
                throw wrongPassword(null);
            }
        }
        InputDecryptorProvider decryptor = new JcePKCSPBEInputDecryptorProviderBuilder()
                .setProvider(BouncyCastle.provider()).build(password);
        List<PrivateKeyInfo> keys = new ArrayList<>();
        List<Certificate> certificates = new ArrayList<>();
        try {
            for (ContentInfo content : pfx.getContentInfos()) {
                if (PKCSObjectIdentifiers.encryptedData.equals(content.getContentType())) {
                    requireBoundedIterations(EncryptedData.getInstance(content.getContent()).getEncryptionAlgorithm());
                }
                PKCS12SafeBagFactory bags = PKCSObjectIdentifiers.encryptedData.equals(content.getContentType())
                        ? new PKCS12SafeBagFactory(content, decryptor)
                        : new PKCS12SafeBagFactory(content);
                for (PKCS12SafeBag bag : bags.getSafeBags()) {
                    Object value = bag.getBagValue();
                    if (value instanceof X509CertificateHolder certificate) {
                        certificates.add(Certificate.of(certificate.getEncoded()));
                    } else if (value instanceof PKCS8EncryptedPrivateKeyInfo shrouded) {
                        requireBoundedIterations(shrouded.getEncryptionAlgorithm());
                        keys.add(shrouded.decryptPrivateKeyInfo(decryptor));
                    } else if (value instanceof PrivateKeyInfo key) {
                        keys.add(key);
                    }
                }
            }
        } catch (PKCSException e) {
            // With a valid MAC the password is right, so a failing decryption means damage or an unknown cipher.
            if (!pfx.hasMac()) {
                throw wrongPassword(e);
            }
            throw new ProblemException(Kind.MALFORMED, MALFORMED, "a PKCS#12 bag does not decrypt: damaged, or an"
                    + " unsupported encryption algorithm", List.of(), e);
        } catch (PkiFormatException | ProblemException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ProblemException(Kind.MALFORMED, MALFORMED, "the PKCS#12 contents are damaged", List.of(), e);
        }
        if (keys.isEmpty()) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, NO_KEY, "the PKCS#12 file holds no private key");
        }
        if (keys.size() > 1) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, SEVERAL_KEYS,
                    "the PKCS#12 file holds " + keys.size() + " private keys; import one key per file");
        }
        PrivateKeyInfo key = keys.get(0);
        Certificate certificate = certificates.stream()
                .filter(candidate -> !candidate.isCa())
                .filter(candidate -> KeyPairCheck.matches(key, subjectPublicKeyInfo(candidate)))
                .findFirst()
                .orElseThrow(() -> new ProblemException(Kind.REFUSED_BY_POLICY, KEY_MISMATCH, mismatch(key,
                        certificates)));
        return new Pkcs12Contents(key, certificate, chain(certificate, certificates));
    }

    /** Why no end-entity certificate of the file goes with its key; a CA's key is not a mailbox's. */
    private static String mismatch(PrivateKeyInfo key, List<Certificate> certificates) {
        if (certificates.isEmpty()) {
            return "the PKCS#12 file holds no certificate for its private key";
        }
        if (certificates.stream().anyMatch(
                candidate -> candidate.isCa() && KeyPairCheck.matches(key, subjectPublicKeyInfo(candidate)))) {
            return "the private key is a CA's (its certificate is a CA certificate): keystore-service keeps the keys"
                    + " of mailboxes; import a CA into ca-service (POST /api/v1/cas/import)";
        }
        return "no certificate in the PKCS#12 file belongs to its private key";
    }

    /** The issuers of the certificate in the file, issuer first, up to a self-issued one or the first missing. */
    private static CertificateChain chain(Certificate certificate, List<Certificate> all) {
        List<Certificate> chain = new ArrayList<>();
        Certificate current = certificate;
        while (!current.isSelfIssued() && chain.size() < all.size()) {
            Certificate child = current;
            Certificate issuer = all.stream()
                    .filter(candidate -> !candidate.equals(child) && !chain.contains(candidate))
                    .filter(candidate -> candidate.x509().getSubjectX500Principal()
                            .equals(child.x509().getIssuerX500Principal()))
                    .findFirst().orElse(null);
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return new CertificateChain(chain);
    }

    private static org.bouncycastle.asn1.x509.SubjectPublicKeyInfo subjectPublicKeyInfo(Certificate certificate) {
        return org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(certificate.publicKey().getEncoded());
    }

    /** PKCS#12 PBE (RFC 7292 appendix C) and PBES2 with PBKDF2 (RFC 8018); PBES2 with another KDF is refused. */
    private static void requireBoundedIterations(AlgorithmIdentifier encryption) {
        if (PKCSObjectIdentifiers.id_PBES2.equals(encryption.getAlgorithm())) {
            KeyDerivationFunc kdf = PBES2Parameters.getInstance(encryption.getParameters()).getKeyDerivationFunc();
            if (!PKCSObjectIdentifiers.id_PBKDF2.equals(kdf.getAlgorithm())) {
                throw new ProblemException(Kind.MALFORMED, MALFORMED,
                        "the PKCS#12 file derives its keys with " + kdf.getAlgorithm() + "; only PBKDF2 is supported");
            }
            requireBoundedIterations(PBKDF2Params.getInstance(kdf.getParameters()).getIterationCount());
        } else {
            requireBoundedIterations(PKCS12PBEParams.getInstance(encryption.getParameters()).getIterations());
        }
    }

    private static void requireBoundedIterations(BigInteger iterations) {
        if (iterations.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, TOO_MANY_ITERATIONS, "the PKCS#12 file asks for "
                    + iterations + " key-derivation iterations; at most " + MAX_ITERATIONS + " are accepted");
        }
    }

    private static ProblemException wrongPassword(Exception cause) {
        return new ProblemException(Kind.REFUSED_BY_POLICY, WRONG_PASSWORD,
                "the password does not open this PKCS#12 file", List.of(), cause);
    }
}
