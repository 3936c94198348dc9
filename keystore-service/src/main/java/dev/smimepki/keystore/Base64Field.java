package dev.smimepki.keystore;

import java.util.Base64;

import dev.smimepki.core.PkiFormatException;

/** Binary request fields travel as standard base64 (RFC 4648 section 4); a bad one is a 400 naming the field. */
public final class Base64Field {
    private Base64Field() {
    }

    public static byte[] decode(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new PkiFormatException(field + " is missing");
        }
        try {
            return Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw new PkiFormatException(field + " is not base64", e);
        }
    }

    public static String encode(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }
}
