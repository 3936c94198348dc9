package dev.smimepki.cli;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;

import dev.smimepki.core.PkiException;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyPairs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pki token}: a bearer JWT for the local platform, signed with the key in {@code .pki/secrets.env} that the
 * services trust, for curl and scripts. In production tokens come from your identity provider instead.
 */
@Command(name = "token", mixinStandardHelpOptions = true, header = TokenCommand.HEADER, description = {
        "Prints a bearer token (JWT) the local services accept, e.g.:",
        "  curl -H \"Authorization: Bearer $(./pki token --role pki-admin)\" ...",
        "pki-user tokens need --email: the mailbox whose keys and certificates the token may use."})
final class TokenCommand implements Callable<Integer> {

    static final String HEADER = "Print a bearer token for the local platform (pki-admin, pki-user or pki-service).";

    @ParentCommand
    private Pki pki;

    @Option(names = "--role", required = true, description = "pki-admin, pki-user or pki-service")
    private String role;

    @Option(names = "--email", description = "the mailbox of a pki-user token")
    private String email;

    @Option(names = "--valid", defaultValue = "PT1H", description = "lifetime as an ISO-8601 duration (default PT1H)")
    private Duration valid;

    @Override
    public Integer call() {
        if (!role.equals("pki-admin") && !role.equals("pki-user") && !role.equals("pki-service")) {
            throw new CommandFailure(ExitCode.ERROR, "--role must be pki-admin, pki-user or pki-service");
        }
        if (role.equals("pki-user") && email == null) {
            throw new CommandFailure(ExitCode.ERROR, "a pki-user token needs --email");
        }
        String mailbox = null;
        if (email != null) {
            try {
                mailbox = EmailAddress.parse(email).toString();
            } catch (PkiException e) {
                throw new CommandFailure(ExitCode.ERROR, "--email: " + e.getMessage());
            }
        }
        String signingKey = LocalSecrets.loadOrCreate(pki.home().stateDir().resolve("secrets.env"))
                .get(LocalSecrets.TOKEN_SIGNING_KEY);
        PrivateKey key = KeyPairs.privateKeyFromDer(Base64.getDecoder().decode(signingKey));
        System.out.println(BearerToken.mint(key, role, mailbox, Instant.now(), valid));
        return ExitCode.OK;
    }

}
