package dev.smimepki.core.email;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

import dev.smimepki.core.PkiFormatException;

/**
 * A mailbox compared the RFC 8550 section 3 way: the local part exactly as given (it may be case-sensitive), the
 * domain case-insensitively. Two addresses match when the records are equal.
 * <p>
 * A mailbox is what a certificate can name in an rfc822Name, an IA5String (RFC 5280 section 7.5): an internationalised
 * domain is held in its ASCII form (RFC 5891 A-labels, {@code user@Bücher.example} is
 * {@code user@xn--bcher-kva.example}), and a local part must be ASCII: an internationalised local part (RFC 6531)
 * would need an SmtpUTF8Mailbox (RFC 8398), which the platform neither issues nor reads.
 *
 * @param localPart the part before the {@code @}, as given
 * @param domain the part after the {@code @}, lower-cased, internationalised labels as A-labels
 */
public record EmailAddress(String localPart, String domain) {
    /** RFC 5321 section 4.5.3.1.1. */
    static final int MAX_LOCAL_PART = 64;
    /** RFC 5321 section 4.5.3.1.2. */
    static final int MAX_DOMAIN = 253;
    /** RFC 5321 forward-path limit (256) less the angle brackets. */
    static final int MAX_ADDRESS = 254;
    /** RFC 1035 section 2.3.4. */
    static final int MAX_LABEL = 63;

    public EmailAddress {
        if (localPart == null || localPart.isEmpty()) {
            throw new PkiFormatException("email address has an empty local part");
        }
        if (domain == null || domain.isEmpty()) {
            throw new PkiFormatException("email address has an empty domain");
        }
        requireNoWhitespaceOrControl(localPart);
        requireNoWhitespaceOrControl(domain);
        if (localPart.indexOf('@') >= 0 || domain.indexOf('@') >= 0) {
            throw new PkiFormatException("email address has more than one @");
        }
        if (!ascii(localPart)) {
            throw new PkiFormatException("email address local part has non-ASCII characters: an internationalised"
                    + " mailbox (RFC 6531) needs an SmtpUTF8Mailbox name (RFC 8398), which is not supported");
        }
        domain = asciiDomain(domain);
        if (localPart.length() > MAX_LOCAL_PART) {
            throw new PkiFormatException("email address local part is longer than " + MAX_LOCAL_PART + " characters");
        }
        if (domain.length() > MAX_DOMAIN) {
            throw new PkiFormatException("email address domain is longer than " + MAX_DOMAIN + " characters");
        }
        if (localPart.length() + 1 + domain.length() > MAX_ADDRESS) {
            throw new PkiFormatException("email address is longer than " + MAX_ADDRESS + " characters");
        }
        domain = domain.toLowerCase(Locale.ROOT);
        requireValidDomain(domain);
    }

    /** Parses {@code local@domain}; no display name, no angle brackets, no surrounding whitespace. */
    public static EmailAddress parse(String address) {
        if (address == null || address.isEmpty()) {
            throw new PkiFormatException("email address is empty");
        }
        int at = address.indexOf('@');
        if (at < 0) {
            throw new PkiFormatException("email address has no @");
        }
        if (address.indexOf('@', at + 1) >= 0) {
            throw new PkiFormatException("email address has more than one @");
        }
        return new EmailAddress(address.substring(0, at), address.substring(at + 1));
    }

    /** For data we did not write (certificate SANs): an invalid address is absent rather than an error. */
    public static Optional<EmailAddress> tryParse(String address) {
        try {
            return Optional.of(parse(address));
        } catch (PkiFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the given address names this mailbox under RFC 8550 matching. */
    public boolean matches(String address) {
        return tryParse(address).map(this::equals).orElse(false);
    }

    /** The normalised form {@code local@domain}, domain lower-cased. */
    @Override
    public String toString() {
        return localPart + "@" + domain;
    }

    private static boolean ascii(String part) {
        for (int i = 0; i < part.length(); i++) {
            if (part.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The domain with internationalised labels as A-labels (RFC 5891), as an rfc822Name spells it. */
    private static String asciiDomain(String domain) {
        if (ascii(domain)) {
            return domain;
        }
        try {
            return IDN.toASCII(domain);
        } catch (IllegalArgumentException e) {
            throw new PkiFormatException("email address has an invalid internationalised domain", e);
        }
    }

    private static void requireNoWhitespaceOrControl(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                throw new PkiFormatException("email address contains whitespace or control characters");
            }
        }
    }

    private static void requireValidDomain(String domain) {
        String[] labels = domain.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new PkiFormatException("email address domain has an empty label");
            }
            if (label.length() > MAX_LABEL) {
                throw new PkiFormatException("email address domain has a label longer than " + MAX_LABEL
                        + " characters");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new PkiFormatException("email address domain has a label starting or ending with a hyphen");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                // letters, digits and hyphens (RFC 1035); an internationalised domain is in A-labels by now
                boolean ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                if (!ldh) {
                    throw new PkiFormatException("email address domain contains an invalid character");
                }
            }
        }
    }
}
