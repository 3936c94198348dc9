package dev.smimepki.runtime.test;

import java.security.KeyPair;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.auth.Roles;

/**
 * Bearer tokens for tests: a key pair made once per test JVM; as a Quarkus test resource it configures the service to
 * verify tokens with its public key and to sign its own service tokens with its private key, as {@code ./pki up} does.
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {
    static final String ISSUER = "smime-pki";
    /** Who {@link #admin()} tokens name: what the services write as the actor of the admin's actions. */
    public static final String ADMIN_NAME = "admin@example.org";
    /** Who {@link #service()} tokens name. */
    public static final String SERVICE_NAME = "test-service";

    private static final KeyPair KEYS = generate();

    @Override
    public Map<String, String> start() {
        return Map.of("mp.jwt.verify.publickey", base64(KEYS.getPublic().getEncoded()),
                "mp.jwt.verify.issuer", ISSUER,
                "pki.service-token.key", base64(KEYS.getPrivate().getEncoded()));
    }

    @Override
    public void stop() {
    }

    public static String admin() {
        return Jwt.issuer(ISSUER).subject("admin").upn(ADMIN_NAME).groups(Set.of(Roles.ADMIN))
                .sign(KEYS.getPrivate());
    }

    /** A mailbox owner's token, the mailbox in the {@code email} claim. */
    public static String user(String mailbox) {
        return Jwt.issuer(ISSUER).subject(mailbox).claim("email", mailbox).groups(Set.of(Roles.USER))
                .sign(KEYS.getPrivate());
    }

    public static String service() {
        return Jwt.issuer(ISSUER).subject(SERVICE_NAME).groups(Set.of(Roles.SERVICE)).sign(KEYS.getPrivate());
    }

    /** A well-formed token signed by a key no service trusts. */
    public static String forged() {
        return Jwt.issuer(ISSUER).subject("admin").groups(Set.of(Roles.ADMIN)).sign(generate().getPrivate());
    }

    private static KeyPair generate() {
        return KeyPairs.generate(KeyAlgorithm.RSA_2048);
    }

    private static String base64(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }
}
