package dev.smimepki.crypto.encryption;

import dev.smimepki.core.email.EmailAddress;

/** Finds the certificate to encrypt to for a mailbox; production asks directory-service ({@link DirectoryClient}). */
public interface RecipientCertificates {

    /** The recipient, or why it cannot be encrypted to; 503 when the directory cannot be asked. */
    Lookup lookup(EmailAddress mailbox);

    /**
     * Exactly one of {@code recipient} and {@code unusableBecause} is set.
     *
     * @param mailbox the address looked up
     * @param recipient the certificate to use
     * @param unusableBecause why there is none, in the directory's words
     */
    record Lookup(EmailAddress mailbox, Recipient recipient, String unusableBecause) {
        public static Lookup found(Recipient recipient) {
            return new Lookup(recipient.mailbox(), recipient, null);
        }

        public static Lookup unusable(EmailAddress mailbox, String reason) {
            return new Lookup(mailbox, null, reason);
        }
    }
}
