package dev.smimepki.bench.platform;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Plain RFC 5322 text messages of a given size, written to files so 100 MB never sits in the driver's heap. */
public final class Messages {
    private Messages() {
    }

    /** A message from {@code from} to {@code to} whose total size is {@code size} bytes (CRLF lines of 78). */
    public static Path write(Path file, String from, String to, long size) throws IOException {
        String headers = "From: " + from + "\r\nTo: " + to + "\r\nSubject: bench " + size + " bytes\r\n"
                + "Message-ID: <bench-" + size + "@bench.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";
        byte[] head = headers.getBytes(StandardCharsets.US_ASCII);
        byte[] line = (("The quick brown fox jumps over the lazy dog while the benchmark measures S/MIME. "
                .repeat(2)).substring(0, 76) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(head);
            long left = size - head.length;
            while (left > 0) {
                int n = (int) Math.min(line.length, left);
                if (n < line.length) {
                    // end on a whole line: pad the last one with spaces before its CRLF
                    byte[] last = new byte[n];
                    java.util.Arrays.fill(last, (byte) ' ');
                    if (n >= 2) {
                        last[n - 2] = '\r';
                        last[n - 1] = '\n';
                    }
                    out.write(last);
                } else {
                    out.write(line);
                }
                left -= n;
            }
        }
        return file;
    }
}
