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
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;

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
        return write(contents, friendlyName, profile, iterations, password, RANDOM);
    }

    /** As {@link #write(Pkcs12Contents, String, ExportProfile, int, char[])}, salts and IVs from {@code random}. */
    static byte[] write(Pkcs12Contents contents, String friendlyName, ExportProfile profile, int iterations,
            char[] password, SecureRandom random) {
        try {
            byte[] localKeyId = localKeyId(contents.certificate());
            PKCS12SafeBagBuilder keyBag = new PKCS12SafeBagBuilder(contents.privateKey(),
                    encryptor(profile, iterations, password, random));
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
            pfx.addEncryptedData(encryptor(profile, iterations, password, random),
                    certificates.toArray(PKCS12SafeBag[]::new));
            pfx.addData(keyBag.build());
            return pfx.build(Pkcs12Mac.builder(profile, iterations, random), password).getEncoded(ASN1Encoding.DER);
        } catch (IOException | GeneralSecurityException | PKCSException e) {
            throw new IllegalStateException("cannot write a " + profile + " PKCS#12 file", e);
        }
    }

    /** Modern: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC; legacy: PBE-SHA1-3DES with a salt GnuPG reads. */
    private static OutputEncryptor encryptor(ExportProfile profile, int iterations, char[] password,
            SecureRandom random) throws GeneralSecurityException {
        return profile == ExportProfile.modern
                ? JdkPbes2.encryptor(password, iterations, random)
                : LegacyPbe.encryptor(password, iterations, random);
    }

    /** The certificate's subject key identifier, else one computed from its key (RFC 5280 section 4.2.1.2). */
    private static byte[] localKeyId(Certificate certificate) {
        return certificate.subjectKeyIdentifier().orElseGet(() -> new BcX509ExtensionUtils()
                .createSubjectKeyIdentifier(SubjectPublicKeyInfo.getInstance(certificate.publicKey().getEncoded()))
                .getKeyIdentifier());
    }
}
