package dev.smimepki.core.cert;

import java.util.Arrays;
import java.util.stream.Collectors;

import dev.smimepki.core.PkiFormatException;

/** RFC 5280 section 5.3.1 CRLReason: the wire name is the ASN.1 name, used in JSON and events. */
public enum RevocationReason {
    UNSPECIFIED(0, "unspecified"),
    KEY_COMPROMISE(1, "keyCompromise"),
    CA_COMPROMISE(2,
            "cACompromise"),
    AFFILIATION_CHANGED(3, "affiliationChanged"),
    SUPERSEDED(4,
            "superseded"),
    CESSATION_OF_OPERATION(5,
            "cessationOfOperation"),
    CERTIFICATE_HOLD(6, "certificateHold"),
    // value 7 is not used (RFC 5280 section 5.3.1)
    REMOVE_FROM_CRL(8, "removeFromCRL"),
    PRIVILEGE_WITHDRAWN(9, "privilegeWithdrawn"),
    AA_COMPROMISE(10,
            "aACompromise");

    private final int code;
    private final String wireName;

    RevocationReason(int code, String wireName) {
        this.code = code;
        this.wireName = wireName;
    }

    /** The CRLReason ENUMERATED value. */
    public int code() {
        return code;
    }

    public String wireName() {
        return wireName;
    }

    /** The reason for a wire name, exact match (case matters: {@code keyCompromise}). */
    public static RevocationReason fromName(String name) {
        for (RevocationReason reason : values()) {
            if (reason.wireName.equals(name)) {
                return reason;
            }
        }
        throw new PkiFormatException("unknown revocation reason; valid: "
                + Arrays.stream(values()).map(RevocationReason::wireName).collect(Collectors.joining(", ")));
    }

    public static RevocationReason fromCode(int code) {
        for (RevocationReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        throw new PkiFormatException("unknown revocation reason code " + code + "; valid: 0-6, 8-10");
    }
}
