package dev.smimepki.crypto.keys;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where keystore-service is: it performs every private-key operation for crypto-service. */
@ConfigMapping(prefix = "pki.keystore")
public interface KeystoreConfig {

    /** Base URL of keystore-service, without a trailing slash; environment variable {@code PKI_KEYSTORE_URL}. */
    @WithDefault("http://localhost:8082")
    String url();

    /** Longest wait for keystore-service to connect or answer before the request fails with 503. */
    @WithDefault("PT10S")
    Duration timeout();
}
