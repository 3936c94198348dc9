package dev.smimepki.ca;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fresh random CA key-encryption key per test run: the real one only ever comes from the environment. */
@QuarkusTestResource(value = TestKeyEncryptionKey.class, restrictToAnnotatedClass = false)
public class TestKeyEncryptionKey implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Map.of("pki.ca.key-encryption-key", Base64.getEncoder().encodeToString(key));
    }

    @Override
    public void stop() {
    }
}
