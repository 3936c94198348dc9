package dev.smimepki.crypto.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A message spooled to a temporary file, with its parsed top-level header section. Closing deletes the file.
 */
public final class SpooledMessage implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final long size;
    private final MessageSpool spool;
    private final MimeEntity message;

    private SpooledMessage(Path file, long size, int maxHeaderSize, MessageSpool spool) throws IOException {
        this.file = file;
        this.size = size;
        this.spool = spool;
        MimeHeaders headers;
        try (InputStream in = open(0, size)) {
            headers = MimeHeaders.read(in, maxHeaderSize, true);
        }
        this.message = new MimeEntity(this, 0, size, headers);
    }

    static SpooledMessage open(Path file, int maxHeaderSize, MessageSpool spool) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new SpooledMessage(file, channel.size(), maxHeaderSize, spool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled message", e);
        }
    }

    /** The whole message as a MIME entity. */
    public MimeEntity message() {
        return message;
    }

    public long size() {
        return size;
    }

    public MessageSpool spool() {
        return spool;
    }

    /** The bytes in {@code [from, to)}, buffered. */
    public InputStream open(long from, long to) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(from);
            InputStream raw = Channels.newInputStream(channel);
            return new BufferedInputStream(new BoundedInputStream(raw, to - from), BUFFER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled message", e);
        }
    }

    /**
     * The first position in {@code [from, to)} where {@code pattern} starts, or -1. Reads in blocks, so memory use is
     * independent of the message size.
     */
    public long indexOf(byte[] pattern, long from, long to) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER + pattern.length);
            long blockStart = from;
            while (blockStart < to) {
                buffer.clear();
                int want = (int) Math.min(buffer.capacity(), to - blockStart);
                buffer.limit(want);
                int read = 0;
                while (read < want) {
                    int n = channel.read(buffer, blockStart + read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                byte[] block = buffer.array();
                for (int i = 0; i + pattern.length <= read; i++) {
                    if (matchesAt(block, i, pattern)) {
                        return blockStart + i;
                    }
                }
                if (blockStart + read >= to) {
                    return -1;
                }
                // overlap by pattern length - 1 so that a match across blocks is found
                blockStart += Math.max(1, read - pattern.length + 1);
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled message", e);
        }
    }

    @Override
    public void close() {
        MessageSpool.delete(file);
    }

    private static boolean matchesAt(byte[] block, int offset, byte[] pattern) {
        for (int j = 0; j < pattern.length; j++) {
            if (block[offset + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    /** Reads at most {@code remaining} bytes from the wrapped stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
