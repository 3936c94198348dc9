package dev.smimepki.crypto.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

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

    @Test
    void filesLeftByADeadProcessGoAtStartAndNothingElse() throws IOException {
        MessageSpool spool = new MessageSpool(1 << 20, 64 * 1024, dir);
        Instant now = Instant.now();
        Path left = aged(spool.newFile(), now.minus(MessageSpool.STALE).minusSeconds(60));
        Path inUse = aged(spool.newFile(), now.minus(MessageSpool.STALE).plusSeconds(60));
        Path notOurs = aged(Files.createFile(dir.resolve("other-1.tmp")), now.minus(Duration.ofDays(2)));
        Path aDirectory = aged(Files.createDirectory(dir.resolve("smime-dir.tmp")), now.minus(Duration.ofDays(2)));

        assertEquals(1, spool.removeStale(now.minus(MessageSpool.STALE)));
        assertFalse(Files.exists(left));
        assertTrue(Files.exists(inUse) && Files.exists(notOurs) && Files.exists(aDirectory));
        assertEquals(0, new MessageSpool(1 << 20, 64 * 1024, dir.resolve("absent")).removeStale(now),
                "a directory that does not exist yet holds nothing stale");
    }

    private static Path aged(Path file, Instant lastModified) throws IOException {
        Files.write(file.toFile().isDirectory() ? file.resolve("x") : file, new byte[]{1, 2, 3});
        Files.setLastModifiedTime(file, FileTime.from(lastModified));
        return file;
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
