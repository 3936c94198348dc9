package dev.smimepki.crypto.mime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.smimepki.crypto.CryptoConfig;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Copies a request body to a temporary file, so that messages of any size are processed with bounded memory and
 * formats that need two passes (detached signatures) can read the content twice.
 */
@ApplicationScoped
public class MessageSpool {
    private static final int BUFFER = 64 * 1024;

    private final long maxMessageSize;
    private final MimeLimits limits;
    private final Path directory;

    @Inject
    MessageSpool(CryptoConfig config) {
        this(config.maxMessageSize(), new MimeLimits(config.mime().maxDepth(), config.mime().maxParts(),
                config.mime().maxHeaderFields(), config.maxHeaderSize()), config.temporaryDirectory().orElse(null));
    }

    /** For plain unit tests; {@code directory} null means the JVM's temporary directory. */
    public MessageSpool(long maxMessageSize, int maxHeaderSize, Path directory) {
        this(maxMessageSize, new MimeLimits(MimeLimits.DEFAULT.maxDepth(), MimeLimits.DEFAULT.maxParts(),
                MimeLimits.DEFAULT.maxHeaderFields(), maxHeaderSize), directory);
    }

    /** For plain unit tests; {@code directory} null means the JVM's temporary directory. */
    public MessageSpool(long maxMessageSize, MimeLimits limits, Path directory) {
        this.maxMessageSize = maxMessageSize;
        this.limits = limits;
        this.directory = directory;
    }

    /**
     * Spools an RFC 5322 message, turning bare LF line ends into CRLF: S/MIME signs and verifies the canonical form
     * (RFC 8551 section 3.1.1), and messages saved by Unix tools have lost their CRs. 413 beyond the size limit, 422
     * beyond a {@link MimeLimits MIME limit}, 400 when the body is empty or has no header section. Whatever was spooled
     * of a refused message is deleted.
     */
    public SpooledMessage spool(InputStream body) {
        Path file = newFile();
        try {
            long size = copyCanonical(body, file);
            if (size == 0) {
                throw new ProblemException(Kind.MALFORMED, "not-a-message", "the request body is empty");
            }
            return SpooledMessage.open(file, limits.maxHeaderSize(), this);
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
    }

    /** A fresh empty temporary file for output; the caller deletes it (see {@link SpooledMessage#close()}). */
    public Path newFile() {
        try {
            return directory == null
                    ? Files.createTempFile("smime-", ".tmp")
                    : Files.createTempFile(directory, "smime-", ".tmp");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file", e);
        }
    }

    public long maxMessageSize() {
        return maxMessageSize;
    }

    public int maxHeaderSize() {
        return limits.maxHeaderSize();
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more to do: the OS cleans its temporary directory
        }
    }

    private long copyCanonical(InputStream in, Path file) {
        byte[] buffer = new byte[BUFFER];
        long written = 0;
        boolean previousCr = false;
        try (OutputStream out = new MimeStructure(new BufferedOutputStream(Files.newOutputStream(file), BUFFER),
                limits)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                // copy runs between bare LFs in one write each; a CR goes in front of every LF that lacks one
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n' && !(i > 0 ? buffer[i - 1] == '\r' : previousCr)) {
                        out.write(buffer, start, i - start);
                        out.write('\r');
                        written += i - start + 1;
                        start = i;
                    }
                }
                out.write(buffer, start, n - start);
                written += n - start;
                previousCr = buffer[n - 1] == '\r';
                if (written > maxMessageSize) {
                    throw tooLarge();
                }
            }
        } catch (IOException e) {
            throw new ProblemException(Kind.MALFORMED, "unreadable-body",
                    "the request body could not be read to its end", java.util.List.of(), e);
        }
        return written;
    }

    private ProblemException tooLarge() {
        return new ProblemException(Kind.TOO_LARGE, "message-too-large",
                "the message is larger than the limit of " + maxMessageSize + " bytes");
    }
}
