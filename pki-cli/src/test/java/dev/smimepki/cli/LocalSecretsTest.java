package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;

class LocalSecretsTest {

    @TempDir
    Path dir;

    @Test
    void keysAreGeneratedOnceOwnerOnlyAndKept() throws Exception {
        Path file = dir.resolve(".pki/secrets.env");

        Map<String, String> first = LocalSecrets.loadOrCreate(file);

        assertEquals(LocalSecrets.KEY_ENCRYPTION_KEYS, first.keySet().stream().limit(2).toList());
        LocalSecrets.KEY_ENCRYPTION_KEYS
                .forEach(name -> assertEquals(32, Base64.getDecoder().decode(first.get(name)).length));
        PublicKey verification = KeyPairs.publicKeyFromDer(
                Base64.getDecoder().decode(first.get(LocalSecrets.TOKEN_VERIFICATION_KEY)));
        PrivateKey signing = KeyPairs.privateKeyFromDer(
                Base64.getDecoder().decode(first.get(LocalSecrets.TOKEN_SIGNING_KEY)));
        assertEquals(KeyAlgorithm.RSA_2048, KeyAlgorithm.of(verification));
        assertEquals(verification.getAlgorithm(), signing.getAlgorithm());
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
