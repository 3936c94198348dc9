package dev.smimepki.runtime.auth;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service proves itself to another service: a short-lived JWT with the {@code pki-service} role. */
@ConfigMapping(prefix = "pki.service-token")
public interface ServiceTokenConfig {
    /**
     * The private key that signs service tokens: PKCS#8, PEM or its base64 body on one line. A secret: set
     * {@code PKI_SERVICE_TOKEN_KEY} from the environment or a Kubernetes Secret. Its public key must be the one the
     * called service verifies bearer tokens with ({@code mp.jwt.verify.publickey}). Without it this service cannot
     * call another service's {@code pki-service} endpoints.
     */
    Optional<String> key();

    /** The {@code iss} of service tokens; must equal {@code mp.jwt.verify.issuer} of the called service. */
    @WithDefault("smime-pki")
    String issuer();

    /** How long one service token is valid; a fresh one is minted well before it ends. */
    @WithDefault("PT5M")
    Duration lifetime();
}
