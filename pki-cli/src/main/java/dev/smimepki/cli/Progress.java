package dev.smimepki.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;

/** How much of a big message has gone to the service, on the terminal only (scripts see nothing). */
final class Progress extends FilterInputStream {

    private static final long STEP = 1024 * 1024;

    private final PrintWriter err;
    private final String what;
    private long sent;
    private long shown;

    private Progress(InputStream in, PrintWriter err, String what) {
        super(in);
        this.err = err;
        this.what = what;
    }

    /** {@code in} as is when no terminal is attached, else counting. */
    static InputStream of(InputStream in, PrintWriter err, String what, boolean terminal) {
        return terminal ? new Progress(in, err, what) : in;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        } else {
            done();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        } else if (n < 0) {
            done();
        }
        return n;
    }

    private void count(int n) {
        sent += n;
        if (sent - shown >= STEP) {
            shown = sent;
            err.print("\r" + what + ": " + sent / STEP + " MB sent");
            err.flush();
        }
    }

    private void done() {
        if (shown > 0) {
            err.println("\r" + what + ": " + sent / STEP + " MB sent, waiting for the answer");
            err.flush();
            shown = 0;
        }
    }
}
