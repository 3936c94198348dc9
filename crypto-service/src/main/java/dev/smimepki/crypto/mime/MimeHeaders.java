package dev.smimepki.crypto.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;

import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * The header section of a message or MIME part (RFC 5322 section 2.2), read from canonical (CRLF) input. Bounded in
 * size: headers are held in memory, bodies never are.
 *
 * @param fields the fields in order
 * @param length the number of bytes of the header section including the empty line that ends it
 */
public record MimeHeaders(List<HeaderField> fields, long length) {
    /** RFC 2045 section 5.2: what an entity without Content-Type is. */
    public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=us-ascii";

    public MimeHeaders {
        fields = List.copyOf(fields);
    }

    /**
     * Reads a header section from the stream, at most {@code maxSize} bytes. {@code requireFields}: a message must
     * have header fields; a MIME part may have none.
     */
    public static MimeHeaders read(InputStream in, int maxSize, boolean requireFields) throws IOException {
        byte[] buffer = in.readNBytes(maxSize + 2);
        List<HeaderField> fields = new ArrayList<>();
        int lineStart = 0;
        int fieldStart = -1;
        while (true) {
            int lineEnd = indexOfCrlf(buffer, lineStart);
            boolean lastLine = false;
            if (lineEnd < 0) {
                if (buffer.length > maxSize) {
                    throw malformed("the header section is larger than " + maxSize + " bytes");
                }
                if (lineStart == buffer.length) {
                    // headers run to the end of the entity: no body (RFC 5322 allows it)
                    addField(fields, buffer, fieldStart, lineStart);
                    return finish(fields, lineStart, requireFields);
                }
                // the entity ends without a final line break: that line is still checked as a field
                lineEnd = buffer.length;
                lastLine = true;
            }
            if (lineEnd == lineStart) {
                addField(fields, buffer, fieldStart, lineStart);
                return finish(fields, lineEnd + 2, requireFields);
            }
            byte first = buffer[lineStart];
            if (first == ' ' || first == '\t') {
                if (fieldStart < 0) {
                    throw malformed("the header section starts with a continuation line");
                }
            } else {
                addField(fields, buffer, fieldStart, lineStart);
                if (nameLength(buffer, lineStart, lineEnd) <= 0) {
                    throw malformed(fields.isEmpty() && fieldStart < 0
                            ? "not an RFC 5322 message: the first line is not a header field"
                            : "a header line is neither a field nor a continuation");
                }
                fieldStart = lineStart;
            }
            if (lastLine) {
                addField(fields, buffer, fieldStart, lineEnd);
                return finish(fields, lineEnd, requireFields);
            }
            lineStart = lineEnd + 2;
        }
    }

    public Optional<HeaderField> first(String name) {
        return fields.stream().filter(field -> field.is(name)).findFirst();
    }

    public Optional<String> value(String name) {
        return first(name).map(HeaderField::value);
    }

    /** The parsed Content-Type, {@link #DEFAULT_CONTENT_TYPE} when absent; 400 when unparseable. */
    public ContentType contentType() {
        String value = value("Content-Type").orElse(DEFAULT_CONTENT_TYPE);
        try {
            return new ContentType(value);
        } catch (ParseException e) {
            throw malformed("the Content-Type header cannot be parsed");
        }
    }

    /** Content-Transfer-Encoding lower-cased, {@code 7bit} when absent (RFC 2045 section 6.1). */
    public String transferEncoding() {
        return value("Content-Transfer-Encoding").map(v -> v.trim().toLowerCase(java.util.Locale.ROOT))
                .orElse("7bit");
    }

    public List<HeaderField> contentFields() {
        return fields.stream().filter(HeaderField::isContentField).toList();
    }

    /** The fields that describe the message rather than its content (From, To, Subject, Date...). */
    public List<HeaderField> messageFields() {
        return fields.stream().filter(field -> !field.isContentField() && !field.is("MIME-Version")).toList();
    }

    public static void write(List<HeaderField> fields, OutputStream out) throws IOException {
        for (HeaderField field : fields) {
            out.write(field.raw());
        }
    }

    static ProblemException malformed(String detail) {
        return new ProblemException(Kind.MALFORMED, "malformed-message", detail);
    }

    private static MimeHeaders finish(List<HeaderField> fields, long length, boolean requireFields) {
        if (requireFields && fields.isEmpty()) {
            throw malformed("not an RFC 5322 message: it has no header fields");
        }
        return new MimeHeaders(fields, length);
    }

    private static void addField(List<HeaderField> fields, byte[] buffer, int start, int end) {
        if (start < 0) {
            return;
        }
        byte[] raw = Arrays.copyOfRange(buffer, start, end);
        int colon = nameLength(buffer, start, end);
        String name = new String(buffer, start, colon, StandardCharsets.US_ASCII);
        String folded = new String(buffer, start + colon + 1, end - start - colon - 1, StandardCharsets.UTF_8);
        // RFC 5322 section 2.2.3: unfolding removes the CRLF in front of continuation whitespace
        String value = folded.replace("\r\n", "").strip();
        fields.add(new HeaderField(name.strip(), raw, value));
    }

    /** Length of the field name before the colon, or -1 when the line is not a field (RFC 5322 section 3.6.8). */
    private static int nameLength(byte[] buffer, int start, int end) {
        for (int i = start; i < end; i++) {
            int b = buffer[i] & 0xff;
            if (b == ':') {
                return i > start ? i - start : -1;
            }
            // printable US-ASCII except colon; tolerate the space some mailers put before the colon
            if (b < 33 && b != ' ' || b > 126) {
                return -1;
            }
        }
        return -1;
    }

    private static int indexOfCrlf(byte[] buffer, int from) {
        for (int i = from; i + 1 < buffer.length; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
