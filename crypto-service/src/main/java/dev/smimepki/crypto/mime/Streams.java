package dev.smimepki.crypto.mime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Stream helpers for writing messages. */
public final class Streams {
    private Streams() {
    }

    /**
     * A view of {@code out} whose close only flushes: lets a base64 encoder or CMS generator write its trailer on
     * close without closing the message stream under it.
     */
    public static OutputStream keepOpen(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
