package dev.smimepki.crypto.mime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.smimepki.crypto.CryptoConfig;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Copies a request body to a temporary file, so that messages of any size are processed with bounded memory and
 * formats that need two passes (detached signatures) can read the content twice.
 */
@ApplicationScoped
public class MessageSpool {
    private static final Logger LOG = Logger.getLogger(MessageSpool.class);
    private static final int BUFFER = 64 * 1024;
    private static final String PREFIX = "smime-";
    private static final String SUFFIX = ".tmp";
    /**
     * Unwritten for this long, a spool file was left by a process that died: a live request writes its files within
     * its first minutes, and an answer still being sent to a slow client stays readable to its open stream.
     */
    static final Duration STALE = Duration.ofHours(1);

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

    /**
     * A message this service wrote itself (a signed message about to be encrypted) as a spooled message, in place:
     * it is canonical already and its structure is the service's own, so it is neither copied nor checked against
     * the limits of request bodies (a message within the size limit stays acceptable once signed, though an opaque
     * signature makes it a third larger). Closing the result deletes the file.
     */
    public SpooledMessage adopt(Path file) {
        return SpooledMessage.open(file, limits.maxHeaderSize(), this);
    }

    /** A fresh empty temporary file for output; the caller deletes it (see {@link SpooledMessage#close()}). */
    public Path newFile() {
        try {
            return directory == null
                    ? Files.createTempFile(PREFIX, SUFFIX)
                    : Files.createTempFile(directory, PREFIX, SUFFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file", e);
        }
    }

    void onStart(@Observes StartupEvent event) {
        removeStale(Instant.now().minus(STALE));
    }

    /**
     * Deletes the spool files last written before {@code before}. Each request deletes its own files, but a process
     * killed mid-request (SIGKILL, out of memory) leaves them, and a restarted container keeps its pod's volume: over
     * a crash loop they would fill it. Only files of this spool's naming and only old ones, so that other instances
     * sharing the directory keep theirs; a file that cannot be read or deleted is left. Never fails.
     *
     * @return how many files were deleted
     */
    public int removeStale(Instant before) {
        Path dir = directory != null ? directory : Path.of(System.getProperty("java.io.tmpdir"));
        int removed = 0;
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(before)) {
                        Files.delete(file);
                        removed++;
                        bytes += attributes.size();
                    }
                } catch (IOException e) {
                    LOG.debugf("stale spool file %s left: %s", file, e);
                }
            }
        } catch (NoSuchFileException e) {
            return 0; // no directory yet: nothing was ever spooled there
        } catch (IOException | DirectoryIteratorException e) {
            LOG.warnf("could not look for stale spool files in %s: %s", dir, e);
        }
        if (removed > 0) {
            LOG.infof("removed %d spool files (%d bytes) left in %s by a process that ended mid-request", removed,
                    bytes, dir);
        }
        return removed;
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
