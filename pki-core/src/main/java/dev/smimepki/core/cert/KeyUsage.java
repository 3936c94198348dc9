package dev.smimepki.core.cert;

import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

import dev.smimepki.core.PkiFormatException;

/** The RFC 5280 section 4.2.1.3 keyUsage bits, with the names OpenSSL and our API use. */
public enum KeyUsage {
    DIGITAL_SIGNATURE(0, "digitalSignature"),
    /** Renamed contentCommitment in X.509 (2008); clients and OpenSSL still say nonRepudiation. */
    NON_REPUDIATION(1, "nonRepudiation"),
    KEY_ENCIPHERMENT(2, "keyEncipherment"),
    DATA_ENCIPHERMENT(3,
            "dataEncipherment"),
    KEY_AGREEMENT(4, "keyAgreement"),
    KEY_CERT_SIGN(5, "keyCertSign"),
    CRL_SIGN(6,
            "cRLSign"),
    ENCIPHER_ONLY(7, "encipherOnly"),
    DECIPHER_ONLY(8, "decipherOnly");

    private static final String CONTENT_COMMITMENT = "contentCommitment";

    private final int bit;
    private final String wireName;

    KeyUsage(int bit, String wireName) {
        this.bit = bit;
        this.wireName = wireName;
    }

    /** The bit number in the KeyUsage BIT STRING. */
    public int bit() {
        return bit;
    }

    public String wireName() {
        return wireName;
    }

    /** The usage for a wire name; {@code contentCommitment} is accepted for {@link #NON_REPUDIATION}. */
    public static KeyUsage fromName(String name) {
        if (CONTENT_COMMITMENT.equals(name)) {
            return NON_REPUDIATION;
        }
        for (KeyUsage usage : values()) {
            if (usage.wireName.equals(name)) {
                return usage;
            }
        }
        throw new PkiFormatException("unknown key usage; valid: "
                + Arrays.stream(values()).map(KeyUsage::wireName).collect(Collectors.joining(", ")));
    }

    /** The keyUsage extension value for these usages, for certificate builders. */
    public static org.bouncycastle.asn1.x509.KeyUsage toExtension(Collection<KeyUsage> usages) {
        int mask = 0;
        for (KeyUsage usage : usages) {
            // BouncyCastle numbers bits of the first octet from its high end, and decipherOnly is bit 7 of octet 2.
            mask |= 1 << (usage.bit < 8 ? 7 - usage.bit : 23 - usage.bit);
        }
        return new org.bouncycastle.asn1.x509.KeyUsage(mask);
    }
}
