package dev.smimepki.runtime.problem;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Blanks what must never reach a log from exception text before it is logged: a library may put the bearer token it
 * refused (jose4j does, in {@code InvalidJwtException}) or a key it could not parse into its message.
 */
public final class SecretRedaction {
    /** Compact JWS/JWT: base64url JSON header ("eyJ"), payload and signature. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final Pattern PEM_PRIVATE_KEY = Pattern
            .compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|\\z)",
                    Pattern.DOTALL);
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)\\S+");
    private static final List<Pattern> PATTERNS = List.of(PEM_PRIVATE_KEY, JWT);

    private SecretRedaction() {
    }

    /** The text with bearer tokens, JWTs and PEM private keys blanked. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (Pattern pattern : PATTERNS) {
            redacted = pattern.matcher(redacted).replaceAll("[redacted]");
        }
        return BEARER.matcher(redacted).replaceAll("$1[redacted]");
    }

    /** The throwable with its causes and stack, as {@link Throwable#printStackTrace} writes it, redacted. */
    static String redact(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return redact(trace.toString());
    }
}
