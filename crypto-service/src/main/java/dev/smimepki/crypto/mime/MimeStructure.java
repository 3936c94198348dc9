package dev.smimepki.crypto.mime;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;

import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Follows the MIME structure of a canonical (CRLF) message as it streams past, line by line and with bounded memory,
 * and refuses it (422) when it nests deeper, has more parts or more header fields than {@link MimeLimits} allow: a
 * hostile message (a thousand nested multiparts, a hundred thousand parts) is stopped while it is spooled, before
 * any code or any mail client that later reads the result walks its tree. Delimiters are recognised as
 * {@link MimeEntity#parts()} recognises them, so every part that code sees was counted here. Bodies of parts
 * encoded in base64 or quoted-printable are not looked into: they are content, not structure.
 */
final class MimeStructure extends FilterOutputStream {
    /** Enough of a body line to recognise a delimiter: "--", a boundary of at most 70 characters, "--". */
    private static final int LINE_PREFIX = 2 + 70 + 2;

    private final MimeLimits limits;
    /** The open multiparts, innermost first. */
    private final Deque<Multipart> open = new ArrayDeque<>();
    private final ByteArrayOutputStream headerSection = new ByteArrayOutputStream();
    private final byte[] line = new byte[LINE_PREFIX];
    private int lineLength;
    private boolean lineTruncated;
    /** In a body, the current line does not start with '-': it is passed over up to its line feed. */
    private boolean skippingLine;
    /** Reading a header section (of the message, a part, or an attached message), else a body. */
    private boolean inHeaders = true;
    private int depth;
    private int fields;
    private int parts;

    private record Multipart(byte[] dashBoundary, int depth) {
    }

    MimeStructure(OutputStream out, MimeLimits limits) {
        super(out);
        this.limits = limits;
    }

    @Override
    public void write(int b) throws IOException {
        accept((byte) b);
        out.write(b);
    }

    /**
     * Bytes that cannot be structure are passed over without looking at each: all of a body outside any multipart,
     * and the rest of a body line that does not start with '-' (a delimiter starts with "--"). In the bench profile
     * the byte-by-byte check was half of crypto-service's CPU for large messages.
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int i = off;
        while (i < end && (inHeaders || !open.isEmpty())) {
            if (skippingLine) {
                int lineEnd = indexOfLf(b, i, end);
                if (lineEnd < 0) {
                    break;
                }
                skippingLine = false;
                i = lineEnd + 1;
            } else {
                accept(b[i++]);
            }
        }
        out.write(b, off, len);
    }

    private static int indexOfLf(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void accept(byte b) {
        if (skippingLine) {
            skippingLine = b != '\n';
            return;
        }
        if (inHeaders) {
            if (headerSection.size() >= limits.maxHeaderSize()) {
                throw refused("mime-header-too-large", "a header section is larger than " + limits.maxHeaderSize()
                        + " bytes (pki.crypto.max-header-size)");
            }
            headerSection.write(b);
        } else if (open.isEmpty()) {
            return; // a body outside any multipart: nothing in it can be structure
        } else if (lineLength == 0 && !lineTruncated && b != '-' && b != '\n') {
            skippingLine = true; // a body line that is no delimiter: nothing to keep until its end
            return;
        }
        if (b == '\n') {
            endOfLine();
            lineLength = 0;
            lineTruncated = false;
        } else if (lineLength < LINE_PREFIX) {
            line[lineLength++] = b;
        } else {
            lineTruncated = true;
        }
    }

    private void endOfLine() {
        int length = lineLength > 0 && line[lineLength - 1] == '\r' && !lineTruncated ? lineLength - 1 : lineLength;
        // a delimiter ends a part wherever it stands, in a header section too, as MimeEntity#parts() reads it
        if (length >= 2 && line[0] == '-' && line[1] == '-' && delimiter(length)) {
            return;
        }
        if (inHeaders) {
            if (length == 0 && !lineTruncated) {
                endOfHeaders();
            } else if (line[0] != ' ' && line[0] != '\t' && ++fields > limits.maxHeaderFields()) {
                throw refused("mime-too-many-header-fields", "a header section has more than "
                        + limits.maxHeaderFields() + " fields (pki.crypto.mime.max-header-fields)");
            }
        }
    }

    /** Whether the line is a delimiter of an open multipart; if so, what it opens or closes is done. */
    private boolean delimiter(int length) {
        int level = 0;
        for (Iterator<Multipart> it = open.iterator(); it.hasNext(); level++) {
            Multipart multipart = it.next();
            if (startsWith(multipart.dashBoundary(), length)) {
                // a delimiter of an outer multipart ends the inner ones, closed or not
                for (int i = 0; i < level; i++) {
                    open.pop();
                }
                boolean close = length >= multipart.dashBoundary().length + 2
                        && line[multipart.dashBoundary().length] == '-'
                        && line[multipart.dashBoundary().length + 1] == '-';
                if (close) {
                    open.pop();
                    inHeaders = false;
                    headerSection.reset();
                } else {
                    if (++parts > limits.maxParts()) {
                        throw refused("mime-too-many-parts", "the message has more than " + limits.maxParts()
                                + " body parts (pki.crypto.mime.max-parts)");
                    }
                    startEntity(multipart.depth() + 1);
                }
                return true;
            }
        }
        return false;
    }

    private boolean startsWith(byte[] prefix, int length) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private void startEntity(int entityDepth) {
        if (entityDepth > limits.maxDepth()) {
            throw refused("mime-nesting-too-deep", "the message nests multiparts and attached messages more than "
                    + limits.maxDepth() + " levels deep (pki.crypto.mime.max-depth)");
        }
        depth = entityDepth;
        inHeaders = true;
        fields = 0;
        headerSection.reset();
    }

    /** What the header section just read says the body is: a multipart, an attached message, or content. */
    private void endOfHeaders() {
        byte[] section = headerSection.toByteArray();
        headerSection.reset();
        inHeaders = false;
        String contentType = field(section, "content-type");
        if (contentType == null) {
            return;
        }
        ContentType type;
        try {
            type = new ContentType(contentType);
        } catch (ParseException e) {
            return; // read as text/plain, as RFC 2045 section 5.2 says; verification reports it when it matters
        }
        if (type.getPrimaryType().equalsIgnoreCase("multipart")) {
            String boundary = type.getParameter("boundary");
            if (boundary != null && !boundary.isEmpty() && boundary.length() <= 70) {
                open.push(new Multipart(("--" + boundary).getBytes(StandardCharsets.ISO_8859_1), depth));
            }
        } else if (type.getPrimaryType().equalsIgnoreCase("message")
                && (type.getSubType().equalsIgnoreCase("rfc822") || type.getSubType().equalsIgnoreCase("global"))) {
            String encoding = field(section, "content-transfer-encoding");
            String cte = encoding == null ? "7bit" : encoding.trim().toLowerCase(Locale.ROOT);
            if (cte.equals("7bit") || cte.equals("8bit") || cte.equals("binary")) {
                startEntity(depth + 1);
            }
        }
    }

    /** The unfolded value of the first field called {@code name} (lower case), or null. */
    private static String field(byte[] section, String name) {
        String text = new String(section, StandardCharsets.ISO_8859_1);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf("\r\n", start);
            while (end >= 0 && end + 2 < text.length()
                    && (text.charAt(end + 2) == ' ' || text.charAt(end + 2) == '\t')) {
                end = text.indexOf("\r\n", end + 2);
            }
            String field = end < 0 ? text.substring(start) : text.substring(start, end);
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return field.substring(colon + 1).replace("\r\n", "").strip();
            }
            if (end < 0) {
                return null;
            }
            start = end + 2;
        }
        return null;
    }

    private static ProblemException refused(String code, String detail) {
        return new ProblemException(Kind.REFUSED_BY_POLICY, code, detail);
    }
}
