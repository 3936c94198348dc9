package dev.smimepki.core.pem;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.smimepki.core.PkiFormatException;

/**
 * The one PEM codec (RFC 7468): lax about text and whitespace around and inside blocks, strict about base64, so
 * that a pasted mail signature or {@code openssl x509 -text} output still reads but corrupted data never does.
 */
public final class Pem {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final int LINE_LENGTH = 64;
    /** Longest label we accept; real ones are under 30 characters. */
    private static final int MAX_LABEL_LENGTH = 64;
    /** First octet of every DER certificate, CSR, key and CRL: a constructed SEQUENCE. */
    private static final int DER_SEQUENCE = 0x30;

    private Pem() {
    }

    /** Every PEM block in the text, in order, whatever its label; text between blocks is ignored. */
    public static List<PemBlock> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new PkiFormatException("no PEM block found: input is empty");
        }
        List<PemBlock> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                break;
            }
            int labelStart = begin + BEGIN.length();
            int labelEnd = text.indexOf(DASHES, labelStart);
            if (labelEnd < 0 || labelEnd - labelStart > MAX_LABEL_LENGTH) {
                throw new PkiFormatException("PEM BEGIN line is not terminated by -----");
            }
            String label = text.substring(labelStart, labelEnd);
            requireValidLabel(label);
            int bodyStart = labelEnd + DASHES.length();
            int end = text.indexOf(END, bodyStart);
            if (end < 0) {
                throw new PkiFormatException("PEM block " + label + " has no END line");
            }
            String endLine = END + label + DASHES;
            if (!text.startsWith(endLine, end)) {
                throw new PkiFormatException("PEM block " + label + " is not closed by -----END " + label + "-----");
            }
            blocks.add(new PemBlock(label, decodeBody(label, text.substring(bodyStart, end))));
            from = end + endLine.length();
        }
        if (blocks.isEmpty()) {
            throw new PkiFormatException("no PEM block found");
        }
        return blocks;
    }

    /** As {@link #parse(String)}, for a request body or file; bytes outside ASCII may appear only between blocks. */
    public static List<PemBlock> parse(byte[] bytes) {
        // ISO-8859-1 maps every byte to a char, so no input is a charset error; base64 is ASCII anyway.
        return parse(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** The DER of every block, all of which must be of the given type (a stray key in a chain is an error). */
    public static List<byte[]> decodeAll(String text, PemType type) {
        List<byte[]> ders = new ArrayList<>();
        for (PemBlock block : parse(text)) {
            if (!type.accepts(block.label())) {
                throw new PkiFormatException(
                        "unexpected PEM block " + block.label() + ", expected " + type.label());
            }
            ders.add(block.der());
        }
        return ders;
    }

    /** The DER of the one block in the text, which must be of the given type. */
    public static byte[] decodeOne(String text, PemType type) {
        List<byte[]> ders = decodeAll(text, type);
        if (ders.size() != 1) {
            throw new PkiFormatException("expected one PEM block " + type.label() + ", found " + ders.size());
        }
        return ders.get(0);
    }

    /** One PEM block: 64-character base64 lines, LF line ends, a trailing newline (what OpenSSL writes). */
    public static String encode(PemType type, byte[] der) {
        if (der.length == 0) {
            throw new IllegalArgumentException("cannot PEM-encode an empty " + type.label());
        }
        String base64 = Base64.getEncoder().encodeToString(der);
        StringBuilder pem = new StringBuilder(base64.length() + base64.length() / LINE_LENGTH + 64);
        pem.append(BEGIN).append(type.label()).append(DASHES).append('\n');
        for (int i = 0; i < base64.length(); i += LINE_LENGTH) {
            pem.append(base64, i, Math.min(base64.length(), i + LINE_LENGTH)).append('\n');
        }
        pem.append(END).append(type.label()).append(DASHES).append('\n');
        return pem.toString();
    }

    /**
     * Whether an upload body is PEM rather than DER. DER objects start with a SEQUENCE octet; anything else that
     * holds a BEGIN line is treated as PEM.
     */
    public static boolean isPem(byte[] body) {
        if (body.length == 0 || (body[0] & 0xff) == DER_SEQUENCE) {
            return false;
        }
        return new String(body, StandardCharsets.ISO_8859_1).contains(BEGIN);
    }

    /** The DER of an upload body that may be either DER or a single PEM block of the given type. */
    public static byte[] derOf(byte[] body, PemType type) {
        if (body.length == 0) {
            throw new PkiFormatException("empty " + type.label() + ": neither PEM nor DER");
        }
        if (isPem(body)) {
            return decodeOne(new String(body, StandardCharsets.ISO_8859_1), type);
        }
        if ((body[0] & 0xff) != DER_SEQUENCE) {
            throw new PkiFormatException(type.label() + " is neither PEM nor DER");
        }
        return body.clone();
    }

    private static void requireValidLabel(String label) {
        // RFC 7468 section 3: printable ASCII except hyphen, single spaces between words.
        if (label.isEmpty() || label.startsWith(" ") || label.endsWith(" ") || label.contains("  ")) {
            throw new PkiFormatException("PEM BEGIN line has an invalid label");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '-') {
                throw new PkiFormatException("PEM BEGIN line has an invalid label");
            }
        }
    }

    private static byte[] decodeBody(String label, String body) {
        StringBuilder base64 = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                base64.append(c);
            }
        }
        if (base64.length() == 0) {
            throw new PkiFormatException("PEM block " + label + " is empty");
        }
        // Strict: the basic decoder rejects foreign characters; we also require the padding it would let slip.
        if (base64.length() % 4 != 0) {
            throw new PkiFormatException("PEM block " + label + " has invalid base64 (length not a multiple of 4)");
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new PkiFormatException("PEM block " + label + " has invalid base64", e);
        }
    }
}
