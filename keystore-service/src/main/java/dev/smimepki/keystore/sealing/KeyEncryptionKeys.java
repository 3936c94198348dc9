package dev.smimepki.keystore.sealing;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.smimepki.keystore.KeystoreConfig;

/**
 * The configured key-encryption keys by version. Checked when the service starts: a missing or malformed active
 * KEK stops it, rather than failing the first request that needs a key.
 */
@ApplicationScoped
public class KeyEncryptionKeys {
    static final int KEY_BYTES = 32;

    private final String active;
    private final Map<String, byte[]> byVersion;

    @Inject
    KeyEncryptionKeys(KeystoreConfig config) {
        this(config.kek().active(), config.kek().versions());
    }

    KeyEncryptionKeys(String active, Map<String, String> base64ByVersion) {
        Map<String, byte[]> keys = new TreeMap<>();
        base64ByVersion.forEach((version, base64) -> {
            if (base64 != null && !base64.isBlank()) {
                keys.put(version, decode(version, base64));
            }
        });
        if (!keys.containsKey(active)) {
            throw new IllegalStateException("the active key-encryption key version " + active
                    + " is not configured: set PKI_KEYSTORE_KEK (version 1) or pki.keystore.kek.versions." + active);
        }
        this.active = active;
        this.byVersion = keys;
    }

    /** The version new data keys are wrapped under. */
    public String activeVersion() {
        return active;
    }

    /** Every configured version. */
    public Set<String> versions() {
        return byVersion.keySet();
    }

    byte[] active() {
        return byVersion.get(active);
    }

    Optional<byte[]> version(String version) {
        return Optional.ofNullable(byVersion.get(version));
    }

    private static byte[] decode(String version, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("key-encryption key version " + version + " is not base64");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("key-encryption key version " + version + " is " + key.length
                    + " bytes; it must be base64 of exactly " + KEY_BYTES + " bytes");
        }
        return key;
    }
}
