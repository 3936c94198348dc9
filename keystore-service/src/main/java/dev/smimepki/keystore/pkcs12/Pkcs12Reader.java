package dev.smimepki.keystore.pkcs12;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
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

    private Pkcs12Reader() {
    }

    static Pkcs12Contents read(byte[] file, char[] password) {
        PKCS12PfxPdu pfx;
        try {
            pfx = new PKCS12PfxPdu(file);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new ProblemException(Kind.MALFORMED, MALFORMED, "the file is not a PKCS#12 (PFX) structure",
                    List.of(), e);
        }
        if (pfx.hasMac()) {
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
                PKCS12SafeBagFactory bags = PKCSObjectIdentifiers.encryptedData.equals(content.getContentType())
                        ? new PKCS12SafeBagFactory(content, decryptor)
                        : new PKCS12SafeBagFactory(content);
                for (PKCS12SafeBag bag : bags.getSafeBags()) {
                    Object value = bag.getBagValue();
                    if (value instanceof X509CertificateHolder certificate) {
                        certificates.add(Certificate.of(certificate.getEncoded()));
                    } else if (value instanceof PKCS8EncryptedPrivateKeyInfo shrouded) {
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
        } catch (PkiFormatException e) {
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
                .orElseThrow(() -> new ProblemException(Kind.REFUSED_BY_POLICY, KEY_MISMATCH, certificates.isEmpty()
                        ? "the PKCS#12 file holds no certificate for its private key"
                        : "no certificate in the PKCS#12 file belongs to its private key"));
        return new Pkcs12Contents(key, certificate, chain(certificate, certificates));
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

    private static ProblemException wrongPassword(Exception cause) {
        return new ProblemException(Kind.REFUSED_BY_POLICY, WRONG_PASSWORD,
                "the password does not open this PKCS#12 file", List.of(), cause);
    }
}
