package dev.smimepki.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The key-encryption keys come from the environment in the forms the deploy files and README name. */
class KeystoreConfigTest {

    @Test
    void pkiKeystoreKekIsVersionOne() throws IOException {
        String key = TestKeyEncryptionKey.randomKey();
        KeystoreConfig config = mapped(Map.of("PKI_KEYSTORE_KEK", key));
        assertEquals("1", config.kek().active());
        assertEquals(Map.of("1", key), config.kek().versions());
        assertEquals(600000, config.pkcs12().modernIterations(), "production default");
        assertEquals(100000, config.pkcs12().legacyIterations(), "production default");
    }

    @Test
    void furtherVersionsAndTheActiveOneFromTheEnvironment() throws IOException {
        String first = TestKeyEncryptionKey.randomKey();
        String second = TestKeyEncryptionKey.randomKey();
        KeystoreConfig config = mapped(Map.of("PKI_KEYSTORE_KEK", first, "PKI_KEYSTORE_KEK_VERSIONS_2", second,
                "PKI_KEYSTORE_KEK_ACTIVE", "2"));
        assertEquals("2", config.kek().active());
        assertEquals(Map.of("1", first, "2", second), config.kek().versions());
    }

    private static KeystoreConfig mapped(Map<String, String> environment) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = KeystoreConfigTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Map<String, String> application = new HashMap<>();
        // only the production profile's values, as a deployment sees them
        properties.stringPropertyNames().stream().filter(name -> !name.startsWith("%"))
                .forEach(name -> application.put(name, properties.getProperty(name)));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors() // ${...} expansion, as Quarkus does
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(application, "application.properties", 250))
                .withMapping(KeystoreConfig.class)
                .build();
        return config.getConfigMapping(KeystoreConfig.class);
    }
}
