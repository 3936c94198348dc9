package dev.smimepki.crypto.encryption;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where directory-service is: it tells which certificate to encrypt to for each recipient. */
@ConfigMapping(prefix = "pki.directory")
public interface DirectoryConfig {

    /** Base URL of directory-service, without a trailing slash; environment variable {@code PKI_DIRECTORY_URL}. */
    @WithDefault("http://localhost:8084")
    String url();

    /** Longest wait for directory-service to connect or answer before encryption fails with 503. */
    @WithDefault("PT10S")
    Duration timeout();
}
