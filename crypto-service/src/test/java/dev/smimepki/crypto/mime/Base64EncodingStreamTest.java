package dev.smimepki.crypto.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The fast encoder writes exactly what the JDK's MIME encoder (76-character lines, CRLF) writes, for every length
 * around the line and chunk sizes and for megabytes, whether the bytes come one at a time, in random pieces or in
 * pieces larger than a chunk, with flushes in between; it leaves the stream under it open.
 */
class Base64EncodingStreamTest {
    private static final Base64.Encoder JDK = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final int CHUNK = 57 * 1024;

    private final Random random = new Random(2045);

    @Test
    void everyLengthAroundLinesAndChunksAsTheJdkEncodesIt() throws IOException {
        for (int length : new int[]{0, 1, 2, 3, 4, 56, 57, 58, 113, 114, 115, 171, CHUNK - 1, CHUNK, CHUNK + 1,
                2 * CHUNK, 2 * CHUNK + 56, 3 * CHUNK + 57}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            assertEquals(ascii(JDK.encode(data)), ascii(inOneWrite(data)), "length " + length);
            assertEquals(ascii(JDK.encode(data)), ascii(inPieces(data, 1, false)), "byte by byte, length " + length);
        }
    }

    @Test
    void randomLengthsInRandomPiecesWithFlushesAsTheJdkEncodesThem() throws IOException {
        for (int n = 0; n < 500; n++) {
            byte[] data = new byte[random.nextInt(3 * CHUNK)];
            random.nextBytes(data);
            assertArrayEquals(JDK.encode(data), inPieces(data, 1 + random.nextInt(2 * CHUNK), n % 2 == 0),
                    "length " + data.length);
        }
    }

    @Test
    void megabytesAsTheJdkEncodesThem() throws IOException {
        byte[] data = new byte[5 * 1024 * 1024 + 7];
        random.nextBytes(data);
        assertArrayEquals(JDK.encode(data), inOneWrite(data));
        assertArrayEquals(JDK.encode(data), inPieces(data, 100_003, true));
    }

    @Test
    void closeWritesTheLastLineAndLeavesTheStreamUnderItOpen() throws IOException {
        ClosingCounter under = new ClosingCounter();
        OutputStream base64 = new Base64EncodingStream(under);
        base64.write("AB".getBytes(StandardCharsets.US_ASCII));
        assertEquals("", under.toString(StandardCharsets.US_ASCII), "a partial unit waits for close");
        base64.close();
        base64.close();
        assertEquals("QUI=", under.toString(StandardCharsets.US_ASCII));
        assertFalse(under.closed);
        assertThrows(IOException.class, () -> base64.write(1));
    }

    private static byte[] inOneWrite(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream base64 = new Base64EncodingStream(out)) {
            base64.write(data);
        }
        return out.toByteArray();
    }

    private byte[] inPieces(byte[] data, int maxPiece, boolean flushes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream base64 = new Base64EncodingStream(out)) {
            for (int i = 0; i < data.length;) {
                int n = Math.min(data.length - i, 1 + random.nextInt(maxPiece));
                if (n == 1) {
                    base64.write(data[i]);
                } else {
                    base64.write(data, i, n);
                }
                i += n;
                if (flushes && random.nextInt(4) == 0) {
                    base64.flush();
                }
            }
        }
        return out.toByteArray();
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static final class ClosingCounter extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
