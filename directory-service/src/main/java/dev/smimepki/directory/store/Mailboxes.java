package dev.smimepki.directory.store;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.email.EmailAddress;

/**
 * The directory's key for a mailbox: RFC 8550 matching (local part as given, domain case-insensitive), with an
 * internationalised domain in its ASCII form (RFC 5891 A-labels), which is how certificates spell it in an
 * rfc822Name (an IA5String). So {@code user@Bücher.example} finds a certificate for
 * {@code user@xn--bcher-kva.example}.
 */
public final class Mailboxes {
    private Mailboxes() {
    }

    /** Parses an address a client asked for; 400 (malformed-input) when it is not one. */
    public static EmailAddress parse(String address) {
        EmailAddress parsed = EmailAddress.parse(address);
        return new EmailAddress(parsed.localPart(), asciiDomain(parsed.domain()));
    }

    /** For addresses in certificates we did not write: an invalid one is absent rather than an error. */
    public static Optional<EmailAddress> tryParse(String address) {
        try {
            return Optional.of(parse(address));
        } catch (PkiFormatException e) {
            return Optional.empty();
        }
    }

    private static String asciiDomain(String domain) {
        for (int i = 0; i < domain.length(); i++) {
            if (domain.charAt(i) >= 0x80) {
                try {
                    return IDN.toASCII(domain).toLowerCase(Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    throw new PkiFormatException("email address has an invalid internationalised domain", e);
                }
            }
        }
        return domain;
    }
}
