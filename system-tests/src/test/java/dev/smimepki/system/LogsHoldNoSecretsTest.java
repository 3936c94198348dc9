package dev.smimepki.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * After every other system test (it is ordered last): the services' logs of the whole run hold no private key, no
 * token, no key-encryption key and no password the tests used.
 */
@Order(Integer.MAX_VALUE)
class LogsHoldNoSecretsTest {
    private static final List<Pattern> SECRETS = List.of(
            Pattern.compile("-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----"),
            // a bearer token: base64url JSON header, payload and signature
            Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{20,}"),
            // the DER start of a PKCS#8 private key, base64 (MII...AgEAMA / MIG...AgEAMB)
            Pattern.compile("MII[A-Za-z0-9+/]{2}AgEAMA"),
            Pattern.compile("(?i)correct horse battery staple|Correct-Horse-"));

    @Test
    void noSecretInAnyServiceLog() throws IOException {
        Platform platform = Platform.get();
        Path logs = platform.service("ca-service").log().getParent();
        List<String> secrets = platform.secretValues();
        List<String> findings = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(logs)) {
            for (Path log : walk.filter(Files::isRegularFile).toList()) {
                files++;
                String text = Files.readString(log, StandardCharsets.UTF_8);
                for (Pattern secret : SECRETS) {
                    if (secret.matcher(text).find()) {
                        findings.add(log.getFileName() + ": " + secret.pattern());
                    }
                }
                for (String value : secrets) {
                    if (text.contains(value)) {
                        findings.add(log.getFileName() + ": a configured secret");
                    }
                }
            }
        }
        assertTrue(files >= Platform.SERVICES.size(), "the logs of every service were read");
        assertEquals(List.of(), findings);
    }
}
