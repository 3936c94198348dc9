package dev.smimepki.crypto.signing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.crypto.CryptoConfig;
import dev.smimepki.crypto.keys.DigestAlgorithm;
import dev.smimepki.crypto.keys.SignatureScheme;
import dev.smimepki.crypto.keys.SignerKeys;
import dev.smimepki.crypto.keys.SigningKey;
import dev.smimepki.crypto.mime.Addresses;
import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.OutgoingMessage;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/** Signs whole messages as a mailbox, with that mailbox's key in keystore-service. */
@ApplicationScoped
public class SigningService {
    private static final int BUFFER = 64 * 1024;

    private final MessageSpool spool;
    private final SignerKeys keys;
    private final Caller caller;
    private final boolean announceGcm;

    SigningService(MessageSpool spool, SignerKeys keys, Caller caller, CryptoConfig config) {
        this.spool = spool;
        this.keys = keys;
        this.caller = caller;
        this.announceGcm = config.announceGcm();
    }

    /**
     * @param signerQuery the signer mailbox; the From address when null
     * @param schemeQuery a {@link SignatureScheme} name (e.g. {@code RSA_PSS}); the key type's default when null
     */
    public OutgoingMessage sign(InputStream body, String modeQuery, String signerQuery, String schemeQuery) {
        SignatureMode.fromQuery(modeQuery); // a bad mode is refused before the body is read
        try (SpooledMessage message = spool.spool(body)) {
            return sign(message, modeQuery, signerQuery, schemeQuery);
        }
    }

    /** Signs a message spooled already (sign-and-encrypt's), which stays the caller's to close. */
    public OutgoingMessage sign(SpooledMessage message, String modeQuery, String signerQuery, String schemeQuery) {
        SignatureMode mode = SignatureMode.fromQuery(modeQuery);
        try {
            EmailAddress signer = signerQuery != null && !signerQuery.isBlank()
                    ? EmailAddress.parse(signerQuery.strip())
                    : Addresses.from(message.message().headers()).orElseThrow(
                            () -> new ProblemException(Kind.MALFORMED, "no-signer",
                                    "the message has no From address and no signer was given"));
            caller.requireOwnerOf(List.of(signer));
            SigningKey key = keys.signingKeyFor(signer);
            KeyAlgorithm keyAlgorithm = KeyAlgorithm.of(key.certificate().publicKey());
            SignatureScheme scheme = scheme(schemeQuery, keyAlgorithm);
            Path out = spool.newFile();
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), BUFFER)) {
                new SmimeSigner(keys, announceGcm).sign(message, key, scheme, DigestAlgorithm.forKey(keyAlgorithm),
                        mode, file);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(out);
                throw e;
            }
            return new OutgoingMessage(out, OutgoingMessage.RFC822);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SignatureScheme scheme(String query, KeyAlgorithm key) {
        if (query == null || query.isBlank()) {
            return SignatureScheme.defaultFor(key);
        }
        SignatureScheme scheme;
        try {
            scheme = SignatureScheme.valueOf(query.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Kind.MALFORMED, "invalid-scheme", "scheme must be RSA_PKCS1, RSA_PSS or ECDSA");
        }
        if (!scheme.fits(key)) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, "scheme-unfit",
                    "scheme " + scheme + " does not fit the signer's " + key + " key");
        }
        return scheme;
    }
}
