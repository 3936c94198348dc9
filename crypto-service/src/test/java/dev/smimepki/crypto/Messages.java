package dev.smimepki.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.SpooledMessage;

/** Sample messages and the spool the plain unit tests use. */
public final class Messages {
    public static final MessageSpool SPOOL = new MessageSpool(64L * 1024 * 1024, 256 * 1024, null);

    private Messages() {
    }

    /** A plain-text message from {@code from} to {@code to}, LF line ends as a Unix tool writes them. */
    public static String plain(String from, String to, String body) {
        return "From: Sender <" + from + ">\n"
                + "To: " + to + "\n"
                + "Subject: quarterly figures\n"
                + "Date: Mon, 1 Dec 2025 10:00:00 +0000\n"
                + "Message-ID: <" + System.nanoTime() + "@example.com>\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=utf-8\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n"
                + body;
    }

    /** A multipart/mixed message with a text and a base64 attachment part. */
    public static String multipart(String from, String to) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: report attached\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed;\r\n boundary=\"outer-boundary\"\r\n\r\n"
                + "--outer-boundary\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee the attachment.\r\n"
                + "--outer-boundary\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\r\n"
                + "--outer-boundary--\r\n";
    }

    public static SpooledMessage spool(String message) {
        return spool(message.getBytes(StandardCharsets.UTF_8));
    }

    public static SpooledMessage spool(byte[] message) {
        return SPOOL.spool(new ByteArrayInputStream(message));
    }

    public static SpooledMessage spool(Path file) {
        try {
            return SPOOL.spool(java.nio.file.Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message with the first occurrence of {@code marker} changed in one byte. */
    public static byte[] tamper(byte[] message, String marker) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(marker);
        if (at < 0) {
            throw new AssertionError("marker " + marker + " not in message");
        }
        byte[] copy = message.clone();
        copy[at] = (byte) (copy[at] ^ 0x01);
        return copy;
    }

    public static byte[] bytes(SpooledMessageWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Something that writes a message. */
    @FunctionalInterface
    public interface SpooledMessageWriter {
        void write(java.io.OutputStream out) throws IOException;
    }
}
