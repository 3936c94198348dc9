package dev.smimepki.crypto.signing;

import java.util.Locale;

import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/** The two S/MIME signature formats (RFC 8551 section 3.5). */
public enum SignatureMode {
    /** multipart/signed: readable without S/MIME support; the default. */
    DETACHED,
    /** application/pkcs7-mime signed-data: survives gateways that rewrite MIME, unreadable without S/MIME. */
    OPAQUE;

    /** The API's query value ({@code detached}, {@code opaque}); null or empty means detached. */
    public static SignatureMode fromQuery(String value) {
        if (value == null || value.isEmpty()) {
            return DETACHED;
        }
        for (SignatureMode mode : values()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(value)) {
                return mode;
            }
        }
        throw new ProblemException(Kind.MALFORMED, "invalid-mode", "mode must be detached or opaque");
    }
}
