package dev.smimepki.crypto.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import dev.smimepki.core.email.EmailAddress;

/** Mailboxes from address header fields (RFC 5322 section 3.4): display names and groups are dropped. */
public final class Addresses {
    private Addresses() {
    }

    /** Every address of every field with this name; 400 when one cannot be parsed. */
    public static List<EmailAddress> of(MimeHeaders headers, String fieldName) {
        List<EmailAddress> addresses = new ArrayList<>();
        for (HeaderField field : headers.fields()) {
            if (field.is(fieldName)) {
                addresses.addAll(parse(field));
            }
        }
        return addresses;
    }

    /** The first From address, if any. */
    public static Optional<EmailAddress> from(MimeHeaders headers) {
        return of(headers, "From").stream().findFirst();
    }

    private static List<EmailAddress> parse(HeaderField field) {
        try {
            List<EmailAddress> addresses = new ArrayList<>();
            for (InternetAddress address : InternetAddress.parseHeader(field.value(), false)) {
                if (address.isGroup()) {
                    for (InternetAddress member : address.getGroup(false)) {
                        addresses.add(EmailAddress.parse(member.getAddress()));
                    }
                } else {
                    addresses.add(EmailAddress.parse(address.getAddress()));
                }
            }
            return addresses;
        } catch (AddressException e) {
            throw MimeHeaders.malformed("the " + field.name() + " header does not hold valid addresses");
        }
    }
}
