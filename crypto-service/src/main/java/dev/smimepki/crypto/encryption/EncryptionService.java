package dev.smimepki.crypto.encryption;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.crypto.mime.Addresses;
import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.MimeHeaders;
import dev.smimepki.crypto.mime.OutgoingMessage;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.crypto.signing.SigningService;
import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Encrypts whole messages to every recipient and the sender, with the certificates directory-service chooses; all
 * or nobody: a recipient without a usable certificate stops the message rather than being silently left out.
 */
@ApplicationScoped
public class EncryptionService {
    private static final int BUFFER = 64 * 1024;

    private final MessageSpool spool;
    private final RecipientCertificates directory;
    private final SigningService signing;

    EncryptionService(MessageSpool spool, RecipientCertificates directory, SigningService signing) {
        this.spool = spool;
        this.directory = directory;
        this.signing = signing;
    }

    /** @param recipientQuery explicit recipients instead of To/Cc/Bcc; the sender is added either way */
    public OutgoingMessage encrypt(InputStream body, List<String> recipientQuery) {
        try (SpooledMessage message = spool.spool(body)) {
            List<Recipient> recipients = recipients(message.message().headers(), recipientQuery);
            return encrypt(message, recipients);
        }
    }

    /** Signs as {@code signer} (default the From address), then encrypts the signed message. */
    public OutgoingMessage signAndEncrypt(InputStream body, List<String> recipientQuery, String mode, String signer,
            String scheme) {
        try (SpooledMessage message = spool.spool(body)) {
            // recipients first: a message that cannot go to everyone is refused before the signing key is used
            List<Recipient> recipients = recipients(message.message().headers(), recipientQuery);
            OutgoingMessage signed = signing.sign(message, mode, signer, scheme);
            try (SpooledMessage signedMessage = spool.adopt(signed.file())) {
                return encrypt(signedMessage, recipients);
            } finally {
                signed.discard();
            }
        }
    }

    private OutgoingMessage encrypt(SpooledMessage message, List<Recipient> recipients) {
        Path out = spool.newFile();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), BUFFER)) {
            new SmimeEncryptor().encrypt(message.message(), recipients, file);
        } catch (IOException | RuntimeException e) {
            OutgoingMessage.delete(out);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
        return new OutgoingMessage(out, OutgoingMessage.RFC822);
    }

    /** Every recipient with its certificate; 422 naming each one that has none usable. */
    List<Recipient> recipients(MimeHeaders headers, List<String> recipientQuery) {
        Set<EmailAddress> mailboxes = new LinkedHashSet<>();
        if (recipientQuery != null && !recipientQuery.isEmpty()) {
            for (String value : recipientQuery) {
                for (String address : value.split(",")) {
                    if (!address.isBlank()) {
                        mailboxes.add(parse(address.strip()));
                    }
                }
            }
        } else {
            for (String field : List.of("To", "Cc", "Bcc")) {
                mailboxes.addAll(Addresses.of(headers, field));
            }
        }
        if (mailboxes.isEmpty()) {
            throw new ProblemException(Kind.MALFORMED, "no-recipients",
                    "the message has no To, Cc or Bcc address and no recipient was given");
        }
        // the sender too, so that it can read its own sent mail
        Addresses.from(headers).ifPresent(mailboxes::add);

        List<Recipient> found = new ArrayList<>();
        List<Problem.Violation> missing = new ArrayList<>();
        for (EmailAddress mailbox : mailboxes) {
            RecipientCertificates.Lookup lookup = directory.lookup(mailbox);
            if (lookup.recipient() != null) {
                found.add(lookup.recipient());
            } else {
                missing.add(new Problem.Violation(mailbox.toString(), "usable-certificate", lookup.unusableBecause()));
            }
        }
        if (!missing.isEmpty()) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, "recipients-without-certificate",
                    "not encrypted: " + missing.size() + " of " + mailboxes.size()
                            + " recipients have no usable certificate ("
                            + missing.stream().map(v -> v.field() + ": " + v.message())
                                    .collect(Collectors.joining("; "))
                            + ")",
                    missing, null);
        }
        return found;
    }

    private static EmailAddress parse(String address) {
        try {
            return EmailAddress.parse(address);
        } catch (RuntimeException e) {
            throw new ProblemException(Kind.MALFORMED, "invalid-recipient", "recipient " + address
                    + " is not an e-mail address");
        }
    }
}
