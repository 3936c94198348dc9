package dev.smimepki.keystore;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.smimepki.runtime.test.TestTokens;

/**
 * A fresh random key-encryption key (version 1) per test run, as PKI_KEYSTORE_KEK would give: the real one only ever
 * comes from the environment. Also configures bearer-token verification for every test.
 */
@QuarkusTestResource(value = TestKeyEncryptionKey.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
public class TestKeyEncryptionKey implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("pki.keystore.kek.versions.1", randomKey());
    }

    @Override
    public void stop() {
    }

    public static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
