package dev.smimepki.runtime.auth;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Mints this service's {@code pki-service} bearer tokens, cached until shortly before they expire. Unremovable: REST
 * client filters look it up programmatically.
 */
@ApplicationScoped
@Unremovable
public class ServiceTokens {
    private final ServiceTokenConfig config;
    private final String subject;
    private PrivateKey key;
    private String token;
    private Instant renewAt = Instant.MIN;

    ServiceTokens(ServiceTokenConfig config,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.application.name") String subject) {
        this.config = config;
        this.subject = subject;
    }

    /** A valid token; 503 {@code service-token-unavailable} when no signing key is configured. */
    public synchronized String token() {
        Instant now = Instant.now();
        if (token == null || now.isAfter(renewAt)) {
            Duration lifetime = config.lifetime();
            token = Jwt.issuer(config.issuer())
                    .subject(subject)
                    .upn(subject)
                    .groups(Set.of(Roles.SERVICE))
                    .issuedAt(now)
                    .expiresAt(now.plus(lifetime))
                    .sign(signingKey());
            renewAt = now.plus(lifetime.dividedBy(2));
        }
        return token;
    }

    private PrivateKey signingKey() {
        if (key == null) {
            String pem = config.key().orElseThrow(() -> new ProblemException(Kind.DEPENDENCY_UNAVAILABLE,
                    "service-token-unavailable",
                    "this service has no service-token key (PKI_SERVICE_TOKEN_KEY) to call other services with"));
            try {
                key = KeyUtils.decodePrivateKey(pem);
            } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
                throw new ProblemException(Kind.DEPENDENCY_UNAVAILABLE, "service-token-unavailable",
                        "the service-token key (PKI_SERVICE_TOKEN_KEY) is not a PKCS#8 private key",
                        java.util.List.of(),
                        e);
            }
        }
        return key;
    }
}
