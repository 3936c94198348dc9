package dev.smimepki.keystore.pkcs12;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;

/**
 * Writes a PKCS#12 file every client opens: the certificates in one password-encrypted safe, the shrouded key in
 * another (the layout OpenSSL writes), friendly name and local key id on the key and its certificate, DER encoded
 * (never BER indefinite length).
 */
final class Pkcs12Writer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pkcs12Writer() {
    }

    static byte[] write(Pkcs12Contents contents, String friendlyName, ExportProfile profile, int iterations,
            char[] password) {
        try {
            byte[] localKeyId = localKeyId(contents.certificate());
            PKCS12SafeBagBuilder keyBag = new PKCS12SafeBagBuilder(contents.privateKey(),
                    encryptor(profile, iterations, password));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(localKeyId));

            List<PKCS12SafeBag> certificates = new ArrayList<>();
            PKCS12SafeBagBuilder endEntity = new PKCS12SafeBagBuilder(
                    org.bouncycastle.asn1.x509.Certificate.getInstance(contents.certificate().der()));
            endEntity.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
            endEntity.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(localKeyId));
            certificates.add(endEntity.build());
            for (Certificate ca : contents.chain().certificates()) {
                PKCS12SafeBagBuilder bag = new PKCS12SafeBagBuilder(
                        org.bouncycastle.asn1.x509.Certificate.getInstance(ca.der()));
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName,
                        new DERBMPString(ca.x509().getSubjectX500Principal().getName()));
                certificates.add(bag.build());
            }

            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(encryptor(profile, iterations, password),
                    certificates.toArray(PKCS12SafeBag[]::new));
            pfx.addData(keyBag.build());
            PKCS12MacCalculatorBuilder mac = profile == ExportProfile.modern
                    ? JdkPbes2.mac(iterations, RANDOM)
                    : new JcePKCS12MacCalculatorBuilder(profile.macDigest())
                            .setProvider(BouncyCastle.provider())
                            .setIterationCount(iterations);
            return pfx.build(mac, password).getEncoded(ASN1Encoding.DER);
        } catch (IOException | GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new IllegalStateException("cannot write a " + profile + " PKCS#12 file", e);
        }
    }

    /** Modern: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC on the JDK's SHA-256; legacy: BouncyCastle's 3DES. */
    private static OutputEncryptor encryptor(ExportProfile profile, int iterations, char[] password)
            throws GeneralSecurityException, OperatorCreationException {
        if (profile == ExportProfile.modern) {
            return JdkPbes2.encryptor(password, iterations, RANDOM);
        }
        return new JcePKCSPBEOutputEncryptorBuilder(profile.encryption())
                .setProvider(BouncyCastle.provider())
                .setRandom(RANDOM)
                .setIterationCount(iterations)
                .build(password);
    }

    /** The certificate's subject key identifier, else one computed from its key (RFC 5280 section 4.2.1.2). */
    private static byte[] localKeyId(Certificate certificate) {
        return certificate.subjectKeyIdentifier().orElseGet(() -> new BcX509ExtensionUtils()
                .createSubjectKeyIdentifier(SubjectPublicKeyInfo.getInstance(certificate.publicKey().getEncoded()))
                .getKeyIdentifier());
    }
}
