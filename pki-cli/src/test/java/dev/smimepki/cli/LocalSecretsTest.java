package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTest {

    @TempDir
    Path dir;

    @Test
    void keysAreGeneratedOnceOwnerOnlyAndKept() throws Exception {
        Path file = dir.resolve(".pki/secrets.env");

        Map<String, String> first = LocalSecrets.loadOrCreate(file);

        assertEquals(LocalSecrets.KEY_ENCRYPTION_KEYS, first.keySet().stream().toList());
        first.values().forEach(value -> assertEquals(32, Base64.getDecoder().decode(value).length));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first, LocalSecrets.loadOrCreate(file), "the same keys on every run");
    }

    @Test
    void aMissingKeyIsAddedWithoutTouchingTheOthers() throws Exception {
        Path file = dir.resolve("secrets.env");
        Files.writeString(file, "PKI_CA_KEY_ENCRYPTION_KEY=kept\n");

        Map<String, String> secrets = LocalSecrets.loadOrCreate(file);

        assertEquals("kept", secrets.get("PKI_CA_KEY_ENCRYPTION_KEY"));
        assertEquals(secrets, LocalEnvironment.read(file));
    }
}
