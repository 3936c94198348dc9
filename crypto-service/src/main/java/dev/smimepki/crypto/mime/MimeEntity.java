package dev.smimepki.crypto.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;

/**
 * A message or MIME part inside a spooled file: its header section parsed, its body left on disk.
 *
 * @param file the spooled message
 * @param start offset of the first header byte
 * @param end offset just past the last body byte
 * @param headers the parsed header section
 */
public record MimeEntity(SpooledMessage file, long start, long end, MimeHeaders headers) {
    private static final byte[] CRLF = {'\r', '\n'};

    public long bodyStart() {
        return Math.min(end, start + headers.length());
    }

    /** The whole entity, headers and body, as it appears in the message. */
    public InputStream raw() {
        return file.open(start, end);
    }

    /** The body as transferred (still base64 or quoted-printable encoded). */
    public InputStream encodedBody() {
        return file.open(bodyStart(), end);
    }

    /** The body with its Content-Transfer-Encoding undone; 400 for an encoding RFC 2045 does not define. */
    public InputStream decodedBody() {
        String encoding = headers.transferEncoding();
        InputStream body = encodedBody();
        return switch (encoding) {
            case "7bit", "8bit", "binary" -> body;
            case "base64" -> new Base64DecodingStream(body);
            case "quoted-printable" -> {
                try {
                    yield MimeUtility.decode(body, encoding);
                } catch (MessagingException e) {
                    throw MimeHeaders.malformed("unknown Content-Transfer-Encoding");
                }
            }
            default -> throw MimeHeaders.malformed("unknown Content-Transfer-Encoding " + encoding);
        };
    }

    /**
     * The entity as content of a signature or an envelope: its content fields (the RFC 2045 default Content-Type when
     * it has none), an empty line, the body as transferred. Message fields (From, To...) are left out.
     */
    public void writeContent(OutputStream out) throws IOException {
        List<HeaderField> contentFields = headers.contentFields();
        if (contentFields.stream().noneMatch(field -> field.is("Content-Type"))) {
            out.write(("Content-Type: " + MimeHeaders.DEFAULT_CONTENT_TYPE + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        MimeHeaders.write(contentFields, out);
        out.write(CRLF);
        try (InputStream body = encodedBody()) {
            body.transferTo(out);
        }
    }

    public ContentType contentType() {
        return headers.contentType();
    }

    /**
     * The parts of a multipart body (RFC 2046 section 5.1.1), each from the first byte after its delimiter line to
     * the CRLF that precedes the next delimiter (that CRLF belongs to the delimiter, not the part).
     */
    public List<MimeEntity> parts() {
        String boundary = contentType().getParameter("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw MimeHeaders.malformed("the multipart body has no valid boundary parameter");
        }
        byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] delimiter = concat(CRLF, dashBoundary);
        long bodyStart = bodyStart();
        long first;
        if (startsWith(bodyStart, dashBoundary)) {
            first = bodyStart;
        } else {
            long found = file.indexOf(delimiter, bodyStart, end);
            if (found < 0) {
                throw MimeHeaders.malformed("the multipart body has no part delimited by its boundary");
            }
            first = found + CRLF.length;
        }
        List<MimeEntity> parts = new ArrayList<>();
        long partStart = lineEnd(first + dashBoundary.length);
        while (true) {
            long next = file.indexOf(delimiter, partStart, end);
            if (next < 0) {
                throw MimeHeaders.malformed("the multipart body is truncated: its closing boundary is missing");
            }
            parts.add(part(partStart, next));
            long afterBoundary = next + delimiter.length;
            if (startsWith(afterBoundary, new byte[]{'-', '-'})) {
                return parts;
            }
            partStart = lineEnd(afterBoundary);
        }
    }

    private MimeEntity part(long partStart, long partEnd) {
        try (InputStream in = file.open(partStart, partEnd)) {
            MimeHeaders partHeaders = MimeHeaders.read(in, file.spool().maxHeaderSize(), false);
            return new MimeEntity(file, partStart, partEnd, partHeaders);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Position after the CRLF that ends the delimiter line (transport padding may precede it). */
    private long lineEnd(long from) {
        long crlf = file.indexOf(CRLF, from, end);
        if (crlf < 0) {
            throw MimeHeaders.malformed("the multipart body is truncated after a boundary");
        }
        return crlf + CRLF.length;
    }

    private boolean startsWith(long position, byte[] prefix) {
        if (position + prefix.length > end) {
            return false;
        }
        return file.indexOf(prefix, position, position + prefix.length) == position;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
