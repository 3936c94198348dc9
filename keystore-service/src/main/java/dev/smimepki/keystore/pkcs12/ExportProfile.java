package dev.smimepki.keystore.pkcs12;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;

/** How a PKCS#12 export is protected; the constant name is the API name. */
public enum ExportProfile {
    /** PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256, SHA-256 MAC: OpenSSL 3, NSS, gpgsm 2.4.4+, current Windows. */
    modern(NISTObjectIdentifiers.id_aes256_CBC, NISTObjectIdentifiers.id_sha256),
    /**
     * PBE-SHA1-3DES for key and certificates, SHA-1 MAC: what macOS Keychain, older iOS, Android and Windows and
     * gpgsm 2.2 read (they report AES files as a "wrong password"); OpenSSL 3 reads it only with {@code -legacy}.
     */
    legacy(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC, OIWObjectIdentifiers.idSHA1);

    private final ASN1ObjectIdentifier encryption;
    private final ASN1ObjectIdentifier macDigest;

    ExportProfile(ASN1ObjectIdentifier encryption, ASN1ObjectIdentifier macDigest) {
        this.encryption = encryption;
        this.macDigest = macDigest;
    }

    ASN1ObjectIdentifier encryption() {
        return encryption;
    }

    ASN1ObjectIdentifier macDigest() {
        return macDigest;
    }
}
