package dev.smimepki.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code NAME=value} lines ({@code .pki/services.env}, {@code .pki/secrets.env}) for the services' environment:
 * local settings and secrets that must not live in {@code application.properties}.
 */
final class LocalEnvironment {

    private LocalEnvironment() {
    }

    static Map<String, String> read(Path file) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return variables;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                int equals = trimmed.indexOf('=');
                if (trimmed.isEmpty() || trimmed.startsWith("#") || equals < 1) {
                    continue;
                }
                String name = trimmed.substring(0, equals).strip();
                if (name.startsWith("export ")) {
                    name = name.substring("export ".length()).strip();
                }
                variables.put(name, unquote(trimmed.substring(equals + 1).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return variables;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
