package dev.smimepki.crypto.mime;

import java.util.Locale;

/**
 * One header field exactly as it was received (folding and line end included, so that it can be written back
 * byte for byte inside signed content) and its unfolded value for parsing.
 *
 * @param name the field name as written
 * @param raw the complete field including continuation lines and the final CRLF
 * @param value the unfolded value without leading whitespace, decoded as UTF-8 (RFC 6532)
 */
public record HeaderField(String name, byte[] raw, String value) {

    public boolean is(String fieldName) {
        return name.equalsIgnoreCase(fieldName);
    }

    /** Content-Type, Content-Transfer-Encoding and the other fields that describe a MIME entity (RFC 2045). */
    public boolean isContentField() {
        return name.toLowerCase(Locale.ROOT).startsWith("content-");
    }
}
