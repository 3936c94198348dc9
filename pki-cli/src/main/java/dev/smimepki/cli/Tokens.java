package dev.smimepki.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;

import dev.smimepki.core.PkiException;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyPairs;

/**
 * Bearer tokens for the user commands, minted like {@code pki token} from the key in {@code .pki/secrets.env} that the
 * local platform trusts. The file is only read, never created: a new key would be one no running service trusts.
 */
final class Tokens {

    static final String ADMIN = "pki-admin";
    static final String USER = "pki-user";
    /** Long enough for the longest command (the demo), short enough to be worthless soon after. */
    private static final Duration VALID = Duration.ofMinutes(30);

    private final Path secretsFile;
    private PrivateKey key;

    Tokens(PlatformHome home) {
        this.secretsFile = home.stateDir().resolve("secrets.env");
    }

    /** A lazily minted token, so commands that need none (CRL, look-up) work without local secrets. */
    Supplier<String> admin() {
        return memoized(() -> mint(ADMIN, null));
    }

    /** A pki-user token for {@code mailbox}. */
    Supplier<String> user(String mailbox) {
        String normalized = mailbox(mailbox);
        return memoized(() -> mint(USER, normalized));
    }

    static String mailbox(String address) {
        try {
            return EmailAddress.parse(address).toString();
        } catch (PkiException e) {
            throw new CommandFailure(ExitCode.ERROR, "'" + address + "' is not an e-mail address: " + e.getMessage());
        }
    }

    private synchronized String mint(String role, String mailbox) {
        if (key == null) {
            if (!Files.isRegularFile(secretsFile)) {
                throw new CommandFailure(ExitCode.ERROR, "no token: pass --token or set PKI_TOKEN (" + secretsFile
                        + ", which ./pki up creates, is missing)");
            }
            String signingKey = LocalEnvironment.read(secretsFile).get(LocalSecrets.TOKEN_SIGNING_KEY);
            if (signingKey == null) {
                throw new CommandFailure(ExitCode.ERROR, secretsFile + " has no " + LocalSecrets.TOKEN_SIGNING_KEY
                        + "; pass --token or set PKI_TOKEN");
            }
            key = KeyPairs.privateKeyFromDer(Base64.getDecoder().decode(signingKey));
        }
        return BearerToken.mint(key, role, mailbox, Instant.now(), VALID);
    }

    private static Supplier<String> memoized(Supplier<String> supplier) {
        return new Supplier<>() {
            private String value;

            @Override
            public synchronized String get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
