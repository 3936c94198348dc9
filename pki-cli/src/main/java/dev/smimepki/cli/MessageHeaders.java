package dev.smimepki.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peek at a message's header section without consuming it, to choose whose token a command needs (the From address
 * signs, a To address decrypts) while the message itself still streams to the service untouched.
 */
final class MessageHeaders {

    /** Header sections are small; a message whose header does not fit is simply not peeked at. */
    static final int PEEK_LIMIT = 64 * 1024;
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<([^<>@\\s]+@[^<>\\s]+)>");
    private static final Pattern BARE_ADDRESS = Pattern.compile("([^\\s<>,;:\"]+@[^\\s<>,;:\"]+)");

    private final List<String> lines;

    private MessageHeaders(List<String> lines) {
        this.lines = lines;
    }

    /** Reads the header section from {@code in} and resets it, so the caller still sends the whole message. */
    static MessageHeaders peek(BufferedInputStream in) throws IOException {
        in.mark(PEEK_LIMIT);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int previous = -1;
        int count = 0;
        while (count < PEEK_LIMIT - 1) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            count++;
            header.write(b);
            if (b == '\n' && (previous == '\n' || endsWithBlankCrLf(header))) {
                break;
            }
            previous = b;
        }
        in.reset();
        return parse(header.toString(StandardCharsets.ISO_8859_1));
    }

    static MessageHeaders parse(String headerSection) {
        List<String> unfolded = new ArrayList<>();
        for (String line : headerSection.split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && !unfolded.isEmpty()) {
                unfolded.set(unfolded.size() - 1, unfolded.get(unfolded.size() - 1) + " " + line.strip());
            } else {
                unfolded.add(line);
            }
        }
        return new MessageHeaders(unfolded);
    }

    /** The value of the first {@code name} header. */
    Optional<String> value(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return lines.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(line -> line.substring(prefix.length()).strip()).findFirst();
    }

    /** The first address of the first {@code name} header. */
    Optional<String> firstAddress(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                String value = line.substring(prefix.length());
                Matcher angle = ANGLE_ADDRESS.matcher(value);
                if (angle.find()) {
                    return Optional.of(angle.group(1));
                }
                Matcher bare = BARE_ADDRESS.matcher(value);
                if (bare.find()) {
                    return Optional.of(bare.group(1));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean endsWithBlankCrLf(ByteArrayOutputStream header) {
        byte[] bytes = header.toByteArray();
        int n = bytes.length;
        return n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n';
    }
}
