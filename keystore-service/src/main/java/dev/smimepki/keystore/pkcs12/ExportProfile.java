package dev.smimepki.keystore.pkcs12;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;

/** How a PKCS#12 export is protected; the constant name is the API name. */
public enum ExportProfile {
    /** PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256, SHA-256 MAC: OpenSSL 3, NSS, gpgsm 2.4.4+, current Windows. */
    modern(NISTObjectIdentifiers.id_sha256, "SHA-256", "HmacSHA256", 32),
    /**
     * PBE-SHA1-3DES for key and certificates, SHA-1 MAC: what macOS Keychain, older iOS, Android and Windows and
     * gpgsm 2.2 read (they report AES files as a "wrong password"); OpenSSL 3 reads it only with {@code -legacy}.
     * gpgsm 2.2 reads passwords of up to 31 characters only, and no ECC keys.
     */
    legacy(OIWObjectIdentifiers.idSHA1, "SHA-1", "HmacSHA1", 20);

    private final ASN1ObjectIdentifier macDigest;
    private final String macDigestName;
    private final String hmacName;
    private final int macBytes;

    ExportProfile(ASN1ObjectIdentifier macDigest, String macDigestName, String hmacName, int macBytes) {
        this.macDigest = macDigest;
        this.macDigestName = macDigestName;
        this.hmacName = hmacName;
        this.macBytes = macBytes;
    }

    /** The digest of the PKCS#12 MAC. */
    ASN1ObjectIdentifier macDigest() {
        return macDigest;
    }

    /** The JDK's name of that digest. */
    String macDigestName() {
        return macDigestName;
    }

    /** The JDK's name of the HMAC with that digest. */
    String hmacName() {
        return hmacName;
    }

    /** The length of the MAC, its key and its salt: the digest's. */
    int macBytes() {
        return macBytes;
    }
}
