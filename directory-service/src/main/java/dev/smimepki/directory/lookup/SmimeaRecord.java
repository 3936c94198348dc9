package dev.smimepki.directory.lookup;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.bouncycastle.crypto.digests.SHA256Digest;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.email.EmailAddress;

/**
 * An RFC 8162 SMIMEA resource record for a mailbox's preferred certificate.
 *
 * <p>
 * Owner name (section 3): hex of the first 28 octets of SHA2-256 over the UTF-8 local part, as given (no case
 * folding), then {@code ._smimecert.} and the domain. Data: certificate usage 3 (DANE-EE: this very certificate),
 * selector 0 (the full certificate) and by default matching type 0 (the full DER): a sender that finds the
 * record in DNS needs the certificate itself to encrypt, which a hash (matching type 1, SHA2-256) cannot give it.
 *
 * @param ownerName the DNS owner name, absolute (trailing dot)
 * @param usage certificate usage (3)
 * @param selector 0, full certificate
 * @param matchingType 0 full DER, 1 SHA2-256 of the DER
 * @param data the certificate association data, hex
 * @param record the record in zone-file presentation form
 */
public record SmimeaRecord(String ownerName, int usage, int selector, int matchingType, String data, String record) {
    static final int DANE_EE = 3;
    static final int FULL_CERTIFICATE = 0;
    static final int MATCH_FULL = 0;
    static final int MATCH_SHA256 = 1;
    /** RFC 8162 section 3: the hash of the local part is truncated to 28 octets. */
    static final int OWNER_HASH_OCTETS = 28;
    private static final String SMIMECERT_LABEL = "._smimecert.";

    public static SmimeaRecord of(EmailAddress mailbox, Certificate certificate, int matchingType) {
        if (matchingType != MATCH_FULL && matchingType != MATCH_SHA256) {
            throw new IllegalArgumentException("matching type must be 0 or 1");
        }
        byte[] localHash = sha256(mailbox.localPart().getBytes(StandardCharsets.UTF_8));
        String owner = HexFormat.of().formatHex(localHash, 0, OWNER_HASH_OCTETS) + SMIMECERT_LABEL + mailbox.domain()
                + ".";
        String data = HexFormat.of().formatHex(matchingType == MATCH_FULL
                ? certificate.der()
                : sha256(certificate.der()));
        String record = owner + " IN SMIMEA " + DANE_EE + " " + FULL_CERTIFICATE + " " + matchingType + " " + data;
        return new SmimeaRecord(owner, DANE_EE, FULL_CERTIFICATE, matchingType, data, record);
    }

    static byte[] sha256(byte[] input) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(input, 0, input.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }
}
