package dev.smimepki.crypto.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.runtime.problem.ProblemException;

/** Hostile and ordinary MIME trees through the spool's structure check. */
class MimeStructureTest {
    @TempDir
    Path dir;

    /** multipart/signed, mixed, an attached message, alternative: the deepest parts are at depth 4. */
    private static final String ORDINARY = """
            From: alice@example.org
            To: bob@example.org
            Subject: a forwarded mail
            MIME-Version: 1.0
            Content-Type: multipart/signed; protocol="application/pkcs7-signature";
             micalg=sha-256; boundary="signed"

            This is an S/MIME signed message.
            --signed
            Content-Type: multipart/mixed;
            \tboundary=mixed

            --mixed
            Content-Type: text/plain

            See below.
            --mixedX is no delimiter of its own but parts() takes it for one; so does the check
            --mixed
            Content-Type: message/rfc822

            From: carol@example.org
            Subject: the original
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain

            --not-a-boundary
            plain
            --alt
            Content-Type: text/html

            <p>html</p>
            --alt--
            --mixed
            Content-Type: message/rfc822
            Content-Transfer-Encoding: base64

            RnJvbTogeEBleGFtcGxlLm9yZwpDb250ZW50LVR5cGU6IG11bHRpcGFydC9taXhlZDsgYm91bmRhcnk9YQoK
            --mixed--
            epilogue
            --signed
            Content-Type: application/pkcs7-signature; name=smime.p7s
            Content-Transfer-Encoding: base64

            AAAA
            --signed--
            """;

    @Test
    void anOrdinaryTreePassesAtItsDepthAndIsRefusedOneLevelShallower() throws IOException {
        for (int chunk : new int[]{1, 5, 4096}) {
            assertEquals(ORDINARY.replace("\n", "\r\n"), spooled(ORDINARY, new MimeLimits(4, 8, 10, 1024), chunk));
        }
        ProblemException deep = refused(ORDINARY, new MimeLimits(3, 1000, 1000, 1024));
        assertEquals(422, deep.kind().status());
        assertEquals("mime-nesting-too-deep", deep.code());
        assertTrue(deep.getMessage().contains("more than 3 levels deep (pki.crypto.mime.max-depth)"),
                deep.getMessage());
        // 2 signed + 4 mixed (one of them the "--mixedX" line) + 2 alternative parts
        assertEquals("mime-too-many-parts", refused(ORDINARY, new MimeLimits(16, 7, 1000, 1024)).code());
        assertEquals("mime-too-many-header-fields", refused(ORDINARY, new MimeLimits(16, 1000, 4, 1024)).code());
        assertEquals("mime-header-too-large", refused(ORDINARY, new MimeLimits(16, 1000, 1000, 100)).code());
    }

    @Test
    void aThousandNestedMultipartsAreRefusedAtTheSeventeenthLevel() {
        StringBuilder message = new StringBuilder("From: a@example.org\n");
        for (int level = 0; level < 1000; level++) {
            message.append("Content-Type: multipart/mixed; boundary=b").append(level).append("\n\n--b")
                    .append(level).append('\n');
        }
        message.append("Content-Type: text/plain\n\ndeep\n");
        for (int level = 999; level >= 0; level--) {
            message.append("--b").append(level).append("--\n");
        }
        ProblemException refused = refused(message.toString(), MimeLimits.DEFAULT);
        assertEquals("mime-nesting-too-deep", refused.code());
        assertTrue(refused.getMessage().contains("more than 16 levels"), refused.getMessage());
    }

    @Test
    void aThousandNestedAttachedMessagesAreRefusedToo() {
        StringBuilder message = new StringBuilder();
        for (int level = 0; level < 1000; level++) {
            message.append("Subject: level ").append(level).append("\nContent-Type: message/rfc822\n\n");
        }
        message.append("Subject: innermost\n\nhello\n");
        assertEquals("mime-nesting-too-deep", refused(message.toString(), MimeLimits.DEFAULT).code());
    }

    @Test
    void aHundredThousandPartsAreRefusedAfterTheThousandth() {
        StringBuilder message = new StringBuilder("From: a@example.org\nContent-Type: multipart/mixed; boundary=p\n\n");
        message.append("--p\n\nx\n".repeat(100_000)).append("--p--\n");
        ProblemException refused = refused(message.toString(), MimeLimits.DEFAULT);
        assertEquals("mime-too-many-parts", refused.code());
        assertTrue(refused.getMessage().contains("more than 1000 body parts (pki.crypto.mime.max-parts)"),
                refused.getMessage());
    }

    @Test
    void aPartWithTenThousandHeaderFieldsIsRefused() {
        String message = "From: a@example.org\nContent-Type: multipart/mixed; boundary=p\n\n--p\n"
                + "X-Filler: y\n".repeat(10_000) + "\nbody\n--p--\n";
        assertEquals("mime-too-many-header-fields", refused(message, MimeLimits.DEFAULT).code());
    }

    @Test
    void longBodyLinesAreNotHeldAndNotLimited() throws IOException {
        String line = "a".repeat(5 * 1024 * 1024);
        String message = "From: a@example.org\nContent-Type: multipart/mixed; boundary=p\n\n--p\n\n" + line
                + "\n--p--\n";
        assertEquals(message.length() + 7, spooled(message, MimeLimits.DEFAULT, 65536).length());
    }

    /** Refused alike whether the message arrives byte by byte, in small pieces or in large ones. */
    private ProblemException refused(String message, MimeLimits limits) {
        ProblemException refused = null;
        for (int chunk : new int[]{8192, 5, 1}) {
            ProblemException again = assertThrows(ProblemException.class, () -> spooled(message, limits, chunk));
            if (refused != null) {
                assertEquals(refused.code(), again.code(), "in pieces of " + chunk);
                assertEquals(refused.getMessage(), again.getMessage(), "in pieces of " + chunk);
            }
            refused = again;
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(0, left.count(), "the spooled part of a refused message is deleted");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return refused;
    }

    private String spooled(String message, MimeLimits limits, int chunk) throws IOException {
        MessageSpool spool = new MessageSpool(64L << 20, limits, dir);
        InputStream in = new FilterInputStream(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII))) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        try (SpooledMessage spooled = spool.spool(in); InputStream content = spooled.open(0, spooled.size())) {
            return new String(content.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
