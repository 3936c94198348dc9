package dev.smimepki.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every user command shares: output format and who the command acts as. */
final class ClientOptions {

    static final String TOKEN_ENV = "PKI_TOKEN";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the service's JSON answer (for scripts) instead of a table.")
    boolean json;

    @Option(names = "--token", paramLabel = "JWT", description = "Bearer token to use (default: env PKI_TOKEN, else"
            + " one minted from .pki/secrets.env).")
    String token;

    @Option(names = "--as", paramLabel = "EMAIL", description = "Act as this mailbox's owner (a pki-user token minted"
            + " from .pki/secrets.env) instead of pki-admin.")
    String as;

    Pki pki() {
        return Pki.of(spec);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The client with the token these options choose; {@code defaultUser} is used when nothing else is given. */
    PlatformClient client(String defaultUser) {
        return new PlatformClient(pki().urls(), token(defaultUser));
    }

    PlatformClient client() {
        return client(null);
    }

    /** --token, else --as (minted), else PKI_TOKEN, else {@code defaultUser} (minted), else pki-admin (minted). */
    Supplier<String> token(String defaultUser) {
        if (token != null && !token.isBlank()) {
            return () -> token.strip();
        }
        Tokens tokens = new Tokens(pki().home());
        if (as != null) {
            return tokens.user(as);
        }
        String fromEnvironment = System.getenv(TOKEN_ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment::strip;
        }
        return defaultUser != null ? tokens.user(defaultUser) : tokens.admin();
    }
}
