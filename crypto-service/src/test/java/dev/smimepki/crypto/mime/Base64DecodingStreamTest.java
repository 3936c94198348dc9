package dev.smimepki.crypto.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The fast decoder reads every input as the JDK's MIME decoding stream does: the same bytes, or an IOException
 * where the JDK's throws one, for hand-picked endings, 50 000 random short inputs of base64, padding and other
 * characters, and megabytes of data in lines of every usual length delivered in pieces of any size.
 */
class Base64DecodingStreamTest {
    private final Random random = new Random(2045);

    @Test
    void endingsPaddingAndIgnoredCharactersAsTheJdkReadsThem() {
        String[] inputs = {"", "QUJD", "QUI=", "QUI", "QQ==", "QQ", "Q", "QQ=", "QQ=\r\n=", "QUI=QUJD",
                "QUI=\r\nQUJD", "QUI=\r\n", "Q===", "=QUJD", "QUJD=", "QU=JD", "QUJD\r\nQUJD", "QU*JD", "QQ==x",
                "QQ== \r\n", "QUJDQ=", "QUJDQ", "QUI==", "QUI====", "\r\n\r\n", "===", "ÿþQUJD\u0080"};
        for (String input : inputs) {
            assertSameAsJdk(input.getBytes(StandardCharsets.ISO_8859_1), 1 + random.nextInt(5));
        }
    }

    @Test
    void randomShortInputsAsTheJdkReadsThem() {
        byte[] characters = "QUJDab+/09=\r\n *-\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        for (int n = 0; n < 50_000; n++) {
            byte[] input = new byte[random.nextInt(25)];
            for (int i = 0; i < input.length; i++) {
                input[i] = characters[random.nextInt(characters.length)];
            }
            assertSameAsJdk(input, 1 + random.nextInt(8));
        }
    }

    @Test
    void megabytesInLinesOfAnyLengthDeliveredInPiecesOfAnySize() throws IOException {
        for (int length : new int[]{0, 1, 2, 3, 1000, 3 * 1024 * 1024 + 1}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            for (Base64.Encoder encoder : new Base64.Encoder[]{Base64.getMimeEncoder(),
                    Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)), Base64.getEncoder(),
                    Base64.getEncoder().withoutPadding()}) {
                byte[] encoded = encoder.encode(data);
                assertArrayEquals(data, new Base64DecodingStream(new ByteArrayInputStream(encoded)).readAllBytes());
                assertArrayEquals(data, readInSmallSteps(new Base64DecodingStream(new Pieces(encoded, 100_003))));
            }
        }
    }

    @Test
    void paddingInTheMiddleOfAUnitIsAnIoExceptionNamingWhere() {
        IOException e = assertThrows(IOException.class,
                () -> new Base64DecodingStream(new ByteArrayInputStream("QUJD\r\nQ=".getBytes(
                        StandardCharsets.US_ASCII))).readAllBytes());
        assertEquals("the base64 data has padding where a unit cannot end, at character 7", e.getMessage());
    }

    private void assertSameAsJdk(byte[] input, int maxPiece) {
        String expected = outcome(Base64.getMimeDecoder().wrap(new ByteArrayInputStream(input)));
        String ours = outcome(new Base64DecodingStream(new Pieces(input, maxPiece)));
        assertEquals(expected, ours, () -> "input " + new String(input, StandardCharsets.ISO_8859_1)
                .replace("\r", "\\r").replace("\n", "\\n"));
    }

    private static String outcome(InputStream in) {
        try (in) {
            return java.util.Arrays.toString(in.readAllBytes());
        } catch (IOException e) {
            return "IOException";
        }
    }

    /** read() for a while, then read(byte[]) with small arrays, so every path is taken. */
    private byte[] readInSmallSteps(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (in) {
            for (int i = 0; i < 10; i++) {
                int b = in.read();
                if (b < 0) {
                    return out.toByteArray();
                }
                out.write(b);
            }
            byte[] buffer = new byte[1 + random.nextInt(70_000)];
            int n;
            while ((n = in.read(buffer, 0, 1 + random.nextInt(buffer.length))) >= 0) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** Hands its bytes out in pieces of random size up to {@code maxPiece}, as a network stream may. */
    private final class Pieces extends ByteArrayInputStream {
        private final int maxPiece;

        Pieces(byte[] bytes, int maxPiece) {
            super(bytes);
            this.maxPiece = maxPiece;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(maxPiece)));
        }
    }
}
