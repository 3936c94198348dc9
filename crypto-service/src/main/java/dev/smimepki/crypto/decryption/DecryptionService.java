package dev.smimepki.crypto.decryption;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.internet.ContentType;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.crypto.keys.RecipientKey;
import dev.smimepki.crypto.keys.RecipientKeys;
import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.MimeHeaders;
import dev.smimepki.crypto.mime.OutgoingMessage;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.crypto.verification.VerificationReport;
import dev.smimepki.crypto.verification.VerificationService;
import dev.smimepki.runtime.auth.Caller;

/**
 * Decrypts whole messages with a key keystore-service holds; a signed inner message is verified (and its signer
 * harvested) as verify does, and the outcome travels in response header fields.
 */
@ApplicationScoped
public class DecryptionService {
    /** {@code true} when the decrypted message is signed. */
    public static final String SIGNED_HEADER = "X-Smime-Signed";
    /** {@code true} or {@code false}: the inner signature's overall verdict, as verify's {@code valid}. */
    public static final String VALID_HEADER = "X-Smime-Signature-Valid";
    /** The content cipher's OID. */
    public static final String CIPHER_HEADER = "X-Smime-Content-Encryption";
    private static final int BUFFER = 64 * 1024;

    private final MessageSpool spool;
    private final SmimeDecryptor decryptor;
    private final VerificationService verification;
    private final Caller caller;

    DecryptionService(MessageSpool spool, RecipientKeys keys, VerificationService verification, Caller caller) {
        this.spool = spool;
        this.decryptor = new SmimeDecryptor(keys, spool);
        this.verification = verification;
        this.caller = caller;
    }

    public Decrypted decrypt(InputStream body) {
        try (SpooledMessage message = spool.spool(body)) {
            Path out = spool.newFile();
            SmimeDecryptor.Decryption decryption;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), BUFFER)) {
                // the outer message fields (From, To, Subject, Date...) around the decrypted entity
                MimeHeaders.write(message.message().headers().messageFields(), file);
                file.write("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
                decryption = decryptor.decrypt(message.message(), this::mayUse, file);
            } catch (IOException | RuntimeException e) {
                OutgoingMessage.delete(out);
                if (e instanceof IOException io) {
                    throw new UncheckedIOException(io);
                }
                throw (RuntimeException) e;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(CIPHER_HEADER, decryption.contentEncryption().getId());
            Optional<VerificationReport> report = verifyIfSigned(out);
            headers.put(SIGNED_HEADER, String.valueOf(report.isPresent()));
            report.ifPresent(r -> headers.put(VALID_HEADER, String.valueOf(r.valid())));
            return new Decrypted(new OutgoingMessage(out, OutgoingMessage.RFC822), headers, report.orElse(null));
        }
    }

    /** A service may use any key; a user only one whose certificate names their own mailbox. */
    private boolean mayUse(RecipientKey key) {
        if (caller.isService()) {
            return true;
        }
        Optional<EmailAddress> mine = caller.mailbox();
        return mine.isPresent() && key.certificate().coversEmail(mine.get());
    }

    private Optional<VerificationReport> verifyIfSigned(Path decrypted) {
        try (InputStream in = Files.newInputStream(decrypted)) {
            ContentType type = MimeHeaders.read(in, spool.maxHeaderSize(), true).contentType();
            String smimeType = Optional.ofNullable(type.getParameter("smime-type")).orElse("")
                    .toLowerCase(Locale.ROOT);
            boolean signed = type.match("multipart/signed")
                    || (type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime"))
                            && smimeType.equals("signed-data");
            if (!signed) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // an inner entity whose headers do not parse is returned as decrypted, without a verdict
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(decrypted); SpooledMessage inner = spool.spool(in)) {
            return Optional.of(verification.verify(inner));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param message the decrypted message
     * @param headers response header fields describing it
     * @param signature the inner signature's report, null when the inner message is not signed
     */
    public record Decrypted(OutgoingMessage message, Map<String, String> headers, VerificationReport signature) {
    }
}
