package dev.smimepki.core.pem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.smimepki.core.PkiFormatException;

class PemTest {
    private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x05};
    private static final byte[] LONG_DER = new byte[200];

    static {
        for (int i = 0; i < LONG_DER.length; i++) {
            LONG_DER[i] = (byte) i;
        }
    }

    @Test
    void encodesWith64CharacterLinesAndTrailingNewline() {
        String pem = Pem.encode(PemType.CERTIFICATE, LONG_DER);
        String[] lines = pem.split("\n", -1);
        assertEquals("-----BEGIN CERTIFICATE-----", lines[0]);
        // 200 bytes are 268 base64 characters: four full lines and 12 more.
        for (int i = 1; i <= 4; i++) {
            assertEquals(64, lines[i].length());
        }
        assertEquals(12, lines[5].length());
        assertEquals("-----END CERTIFICATE-----", lines[6]);
        assertEquals("", lines[7], "must end with exactly one newline");
        assertEquals(8, lines.length);
    }

    @Test
    void singleBlockRoundTrips() {
        String pem = Pem.encode(PemType.X509_CRL, LONG_DER);
        assertArrayEquals(LONG_DER, Pem.decodeOne(pem, PemType.X509_CRL));
        assertEquals(List.of(new PemBlock("X509 CRL", LONG_DER)), Pem.parse(pem));
    }

    @Test
    void multipleBlocksWithTextAndCrlfBetweenAreReadInOrder() {
        String text = "Subject: Alice\r\n" + Pem.encode(PemType.CERTIFICATE, DER).replace("\n", "\r\n")
                + "\n  some explanatory text  \n\n" + Pem.encode(PemType.PRIVATE_KEY, LONG_DER) + "trailing";
        List<PemBlock> blocks = Pem.parse(text);
        assertEquals(2, blocks.size());
        assertEquals(new PemBlock("CERTIFICATE", DER), blocks.get(0));
        assertEquals(new PemBlock("PRIVATE KEY", LONG_DER), blocks.get(1));
        assertEquals(PemType.PRIVATE_KEY, blocks.get(1).type().orElseThrow());
    }

    @Test
    void toleratesIndentationAndBlankLinesInsideTheBody() {
        String pem = Pem.encode(PemType.PUBLIC_KEY, LONG_DER).replace("\n", "\n   \t\n  ");
        assertArrayEquals(LONG_DER, Pem.decodeOne(pem, PemType.PUBLIC_KEY));
    }

    @Test
    void legacyCsrLabelIsAccepted() {
        String pem = Pem.encode(PemType.CERTIFICATE_REQUEST, DER).replace("CERTIFICATE REQUEST",
                "NEW CERTIFICATE REQUEST");
        assertArrayEquals(DER, Pem.decodeOne(pem, PemType.CERTIFICATE_REQUEST));
    }

    @Test
    void decodeAllReadsEveryBlockOfTheType() {
        String text = Pem.encode(PemType.CERTIFICATE, DER) + Pem.encode(PemType.CERTIFICATE, LONG_DER);
        List<byte[]> ders = Pem.decodeAll(text, PemType.CERTIFICATE);
        assertEquals(2, ders.size());
        assertArrayEquals(DER, ders.get(0));
        assertArrayEquals(LONG_DER, ders.get(1));
    }

    @Test
    void decodeAllRejectsABlockOfAnotherType() {
        String text = Pem.encode(PemType.CERTIFICATE, DER) + Pem.encode(PemType.PRIVATE_KEY, DER);
        var e = assertThrows(PkiFormatException.class, () -> Pem.decodeAll(text, PemType.CERTIFICATE));
        assertEquals("unexpected PEM block PRIVATE KEY, expected CERTIFICATE", e.getMessage());
    }

    @Test
    void decodeOneRejectsTwoBlocks() {
        String text = Pem.encode(PemType.CERTIFICATE, DER) + Pem.encode(PemType.CERTIFICATE, DER);
        var e = assertThrows(PkiFormatException.class, () -> Pem.decodeOne(text, PemType.CERTIFICATE));
        assertEquals("expected one PEM block CERTIFICATE, found 2", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "just some text", "-----END CERTIFICATE-----"})
    void noBlockIsAnError(String text) {
        var e = assertThrows(PkiFormatException.class, () -> Pem.parse(text));
        assertTrue(e.getMessage().startsWith("no PEM block found"), e.getMessage());
        assertEquals(PkiFormatException.CODE, e.code());
    }

    @Test
    void badBase64IsNamed() {
        String pem = Pem.encode(PemType.CERTIFICATE, LONG_DER).replaceFirst("\n(.)", "\n*");
        var e = assertThrows(PkiFormatException.class, () -> Pem.parse(pem));
        assertEquals("PEM block CERTIFICATE has invalid base64", e.getMessage());
    }

    @Test
    void missingPaddingIsRejected() {
        String pem = "-----BEGIN CERTIFICATE-----\nMAMCAQU\n-----END CERTIFICATE-----\n";
        var e = assertThrows(PkiFormatException.class, () -> Pem.parse(pem));
        assertTrue(e.getMessage().startsWith("PEM block CERTIFICATE has invalid base64"), e.getMessage());
    }

    @Test
    void emptyBodyIsRejected() {
        var e = assertThrows(PkiFormatException.class,
                () -> Pem.parse("-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n"));
        assertEquals("PEM block CERTIFICATE is empty", e.getMessage());
    }

    @Test
    void missingOrMismatchedEndIsRejected() {
        String pem = Pem.encode(PemType.CERTIFICATE, DER);
        var missing = assertThrows(PkiFormatException.class,
                () -> Pem.parse(pem.substring(0, pem.indexOf("-----END"))));
        assertEquals("PEM block CERTIFICATE has no END line", missing.getMessage());
        var mismatched = assertThrows(PkiFormatException.class,
                () -> Pem.parse(pem.replace("END CERTIFICATE", "END X509 CRL")));
        assertTrue(mismatched.getMessage().contains("is not closed by -----END CERTIFICATE-----"));
    }

    @Test
    void headersOfLegacyEncryptedKeysAreRejectedAsBadBase64() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMAMCAQU=\n"
                + "-----END RSA PRIVATE KEY-----\n";
        assertThrows(PkiFormatException.class, () -> Pem.parse(pem));
    }

    @Test
    void detectsPemAndDer() {
        byte[] pem = ("\n\n" + Pem.encode(PemType.CERTIFICATE, DER)).getBytes(StandardCharsets.US_ASCII);
        assertTrue(Pem.isPem(pem));
        assertFalse(Pem.isPem(DER));
        assertFalse(Pem.isPem(new byte[0]));
        assertFalse(Pem.isPem("hello".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(DER, Pem.derOf(pem, PemType.CERTIFICATE));
        assertArrayEquals(DER, Pem.derOf(DER, PemType.CERTIFICATE));
    }

    @Test
    void derOfRejectsNeitherPemNorDer() {
        var e = assertThrows(PkiFormatException.class,
                () -> Pem.derOf("hello".getBytes(StandardCharsets.US_ASCII), PemType.CERTIFICATE));
        assertEquals("CERTIFICATE is neither PEM nor DER", e.getMessage());
        assertThrows(PkiFormatException.class, () -> Pem.derOf(new byte[0], PemType.CERTIFICATE));
    }

    @Test
    void parsesBytesWithNonAsciiTextBetweenBlocks() {
        byte[] body = ("Zertifikat für Jürgen\n" + Pem.encode(PemType.CERTIFICATE, DER))
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(new PemBlock("CERTIFICATE", DER)), Pem.parse(body));
    }

    @Test
    void pemBlockCopiesItsBytes() {
        byte[] der = DER.clone();
        PemBlock block = new PemBlock("CERTIFICATE", der);
        der[0] = 0;
        block.der()[1] = 0;
        assertArrayEquals(DER, block.der());
    }
}
