package dev.smimepki.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import dev.smimepki.core.PkiFormatException;

class KeyUsageTest {

    @ParameterizedTest
    @CsvSource({
            "digitalSignature, 0, DIGITAL_SIGNATURE, 128",
            "nonRepudiation, 1, NON_REPUDIATION, 64",
            "keyEncipherment, 2, KEY_ENCIPHERMENT, 32",
            "dataEncipherment, 3, DATA_ENCIPHERMENT, 16",
            "keyAgreement, 4, KEY_AGREEMENT, 8",
            "keyCertSign, 5, KEY_CERT_SIGN, 4",
            "cRLSign, 6, CRL_SIGN, 2",
            "encipherOnly, 7, ENCIPHER_ONLY, 1",
            "decipherOnly, 8, DECIPHER_ONLY, 32768"})
    void bitsNamesAndBouncyCastleMasks(String name, int bit, KeyUsage usage, int bouncyCastleMask) {
        assertEquals(usage, KeyUsage.fromName(name));
        assertEquals(name, usage.wireName());
        assertEquals(bit, usage.bit());
        assertTrue(KeyUsage.toExtension(Set.of(usage)).hasUsages(bouncyCastleMask));
        assertEquals(new org.bouncycastle.asn1.x509.KeyUsage(bouncyCastleMask), KeyUsage.toExtension(Set.of(usage)));
    }

    @ParameterizedTest
    @EnumSource(KeyUsage.class)
    void singleUsageSetsOnlyItsBit(KeyUsage usage) {
        var extension = KeyUsage.toExtension(Set.of(usage));
        for (KeyUsage other : KeyUsage.values()) {
            boolean set = extension.hasUsages(mask(other));
            assertEquals(other == usage, set, other.wireName());
        }
    }

    @Test
    void contentCommitmentIsAnAlias() {
        assertEquals(KeyUsage.NON_REPUDIATION, KeyUsage.fromName("contentCommitment"));
        var e = assertThrows(PkiFormatException.class, () -> KeyUsage.fromName("DigitalSignature"));
        assertTrue(e.getMessage().startsWith("unknown key usage; valid: digitalSignature, nonRepudiation"));
    }

    @Test
    void combinedUsages() {
        var extension = KeyUsage.toExtension(EnumSet.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN));
        assertEquals(new org.bouncycastle.asn1.x509.KeyUsage(
                org.bouncycastle.asn1.x509.KeyUsage.keyCertSign | org.bouncycastle.asn1.x509.KeyUsage.cRLSign),
                extension);
    }

    private static int mask(KeyUsage usage) {
        return switch (usage) {
            case DIGITAL_SIGNATURE -> org.bouncycastle.asn1.x509.KeyUsage.digitalSignature;
            case NON_REPUDIATION -> org.bouncycastle.asn1.x509.KeyUsage.nonRepudiation;
            case KEY_ENCIPHERMENT -> org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment;
            case DATA_ENCIPHERMENT -> org.bouncycastle.asn1.x509.KeyUsage.dataEncipherment;
            case KEY_AGREEMENT -> org.bouncycastle.asn1.x509.KeyUsage.keyAgreement;
            case KEY_CERT_SIGN -> org.bouncycastle.asn1.x509.KeyUsage.keyCertSign;
            case CRL_SIGN -> org.bouncycastle.asn1.x509.KeyUsage.cRLSign;
            case ENCIPHER_ONLY -> org.bouncycastle.asn1.x509.KeyUsage.encipherOnly;
            case DECIPHER_ONLY -> org.bouncycastle.asn1.x509.KeyUsage.decipherOnly;
        };
    }
}
