package dev.smimepki.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.smimepki.core.PkiFormatException;

class RevocationReasonTest {

    @ParameterizedTest
    @CsvSource({
            "unspecified, 0, UNSPECIFIED",
            "keyCompromise, 1, KEY_COMPROMISE",
            "cACompromise, 2, CA_COMPROMISE",
            "affiliationChanged, 3, AFFILIATION_CHANGED",
            "superseded, 4, SUPERSEDED",
            "cessationOfOperation, 5, CESSATION_OF_OPERATION",
            "certificateHold, 6, CERTIFICATE_HOLD",
            "removeFromCRL, 8, REMOVE_FROM_CRL",
            "privilegeWithdrawn, 9, PRIVILEGE_WITHDRAWN",
            "aACompromise, 10, AA_COMPROMISE"})
    void namesAndCodesFollowRfc5280(String name, int code, RevocationReason reason) {
        assertEquals(reason, RevocationReason.fromName(name));
        assertEquals(reason, RevocationReason.fromCode(code));
        assertEquals(name, reason.wireName());
        assertEquals(code, reason.code());
    }

    @ParameterizedTest
    @EnumSource(RevocationReason.class)
    void codesAgreeWithBouncyCastle(RevocationReason reason) {
        assertEquals(reason.code(), CRLReason.lookup(reason.code()).getValue().intValue());
    }

    @Test
    void allTenReasonsExist() {
        assertEquals(10, RevocationReason.values().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KeyCompromise", "keycompromise", "KEY_COMPROMISE", "", "unused"})
    void unknownNamesListTheValidOnes(String name) {
        var e = assertThrows(PkiFormatException.class, () -> RevocationReason.fromName(name));
        assertEquals("unknown revocation reason; valid: unspecified, keyCompromise, cACompromise, "
                + "affiliationChanged, superseded, cessationOfOperation, certificateHold, removeFromCRL, "
                + "privilegeWithdrawn, aACompromise", e.getMessage());
    }

    @Test
    void nullNameIsRejected() {
        assertThrows(PkiFormatException.class, () -> RevocationReason.fromName(null));
    }

    @ParameterizedTest
    @ValueSource(ints = {7, -1, 11, 255})
    void unknownCodesAreRejected(int code) {
        var e = assertThrows(PkiFormatException.class, () -> RevocationReason.fromCode(code));
        assertEquals("unknown revocation reason code " + code + "; valid: 0-6, 8-10", e.getMessage());
    }
}
