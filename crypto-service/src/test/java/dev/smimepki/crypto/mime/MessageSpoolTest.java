package dev.smimepki.crypto.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.runtime.problem.ProblemException;

class MessageSpoolTest {
    @TempDir
    Path dir;

    @Test
    void bareLineFeedsBecomeCrlfAndCrlfStaysAsItIs() throws IOException {
        assertEquals("From: a@example.com\r\nTo: b@example.com\r\n\r\nbody\r\nmore\r\n\r\n",
                spooled("From: a@example.com\nTo: b@example.com\r\n\nbody\nmore\r\n\n", Integer.MAX_VALUE));
    }

    @Test
    void aCrAtTheEndOfOneReadAndItsLfAtTheStartOfTheNextStayOneLineEnd() throws IOException {
        String message = "Subject: x\r\n\r\n" + "line\r\n".repeat(1000) + "last\nend\n";
        String expected = "Subject: x\r\n\r\n" + "line\r\n".repeat(1000) + "last\r\nend\r\n";
        for (int chunk : new int[]{1, 2, 3, 7, 64, 4096}) {
            assertEquals(expected, spooled(message, chunk), "reads of " + chunk + " bytes");
        }
    }

    @Test
    void theLimitCountsTheCanonicalSize() throws IOException {
        MessageSpool spool = new MessageSpool(20, 1024, dir);
        ProblemException tooLarge = assertThrows(ProblemException.class,
                () -> spool.spool(
                        new ByteArrayInputStream("Subject: x\n\n123456789\n".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(413, tooLarge.kind().status());
        try (var left = java.nio.file.Files.list(dir)) {
            assertEquals(0, left.count(), "what was spooled of the refused message is deleted");
        }
    }

    private String spooled(String message, int chunk) throws IOException {
        MessageSpool spool = new MessageSpool(1 << 20, 64 * 1024, dir);
        InputStream in = new FilterInputStream(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII))) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        try (SpooledMessage spooled = spool.spool(in); InputStream content = spooled.open(0, spooled.size())) {
            byte[] bytes = content.readAllBytes();
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }
}
