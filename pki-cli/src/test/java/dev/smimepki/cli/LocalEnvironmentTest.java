package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void readsNameValueLinesAndSkipsTheRest() throws Exception {
        Path file = dir.resolve("services.env");
        Files.writeString(file, "# local secrets\nPKI_KEK=abc=\nexport PKI_CA_KEY_PASSWORD=\"s e c\"\n\nnonsense\n");

        assertEquals(Map.of("PKI_KEK", "abc=", "PKI_CA_KEY_PASSWORD", "s e c"), LocalEnvironment.read(file));
        assertEquals(Map.of(), LocalEnvironment.read(dir.resolve("missing.env")));
    }
}
