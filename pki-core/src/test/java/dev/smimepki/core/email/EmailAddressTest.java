package dev.smimepki.core.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.smimepki.core.PkiFormatException;

class EmailAddressTest {

    @Test
    void domainIsCaseInsensitiveLocalPartIsNot() {
        EmailAddress address = EmailAddress.parse("Alice@Example.COM");
        assertEquals("Alice", address.localPart());
        assertEquals("example.com", address.domain());
        assertEquals("Alice@example.com", address.toString());
        assertEquals(EmailAddress.parse("Alice@example.com"), address);
        assertTrue(address.matches("Alice@example.com"));
        assertNotEquals(EmailAddress.parse("alice@example.com"), address);
        assertFalse(address.matches("alice@example.com"));
        assertFalse(address.matches("not an address"));
    }

    @Test
    void internationalisedDomainIsHeldInAsciiAsAnRfc822NameSpellsIt() {
        EmailAddress address = EmailAddress.parse("juergen@Bücher.example");
        assertEquals("xn--bcher-kva.example", address.domain());
        assertEquals("juergen@xn--bcher-kva.example", address.toString());
        assertEquals(address, EmailAddress.parse("juergen@XN--BCHER-KVA.example"), "either spelling, one mailbox");
        assertTrue(address.matches("juergen@bücher.EXAMPLE"));
    }

    /** An IA5String cannot carry it (found by a probe: the certificate's SAN held the raw bytes of "jörg"). */
    @Test
    void internationalisedLocalPartIsRefusedNamingWhy() {
        PkiFormatException refused = assertThrows(PkiFormatException.class,
                () -> EmailAddress.parse("jörg@example.org"));
        assertTrue(refused.getMessage().contains("local part has non-ASCII characters"), refused.getMessage());
        assertTrue(refused.getMessage().contains("SmtpUTF8Mailbox"), refused.getMessage());
        assertTrue(EmailAddress.tryParse("jörg@bücher.de").isEmpty());
    }

    @Test
    void anInvalidInternationalisedDomainIsRefused() {
        String label = "ü".repeat(70);
        assertThrows(PkiFormatException.class, () -> EmailAddress.parse("a@" + label + ".example"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice.example.com | email address has no @",
            "alice@@example.com | email address has more than one @",
            "a@b@example.com | email address has more than one @",
            "@example.com | email address has an empty local part",
            "alice@ | email address has an empty domain",
            "'al ice@example.com' | email address contains whitespace or control characters",
            "'alice@example.com ' | email address contains whitespace or control characters",
            "alice@example..com | email address domain has an empty label",
            "alice@.example.com | email address domain has an empty label",
            "alice@example.com. | email address domain has an empty label",
            "alice@-example.com | email address domain has a label starting or ending with a hyphen",
            "alice@exa_mple.com | email address domain contains an invalid character",
            "<alice@example.com> | email address domain contains an invalid character"})
    void invalidAddressesNameTheProblem(String address, String message) {
        var e = assertThrows(PkiFormatException.class, () -> EmailAddress.parse(address));
        assertEquals(message, e.getMessage());
    }

    @Test
    void controlCharactersAndEmptyInputAreRejected() {
        assertThrows(PkiFormatException.class, () -> EmailAddress.parse("ali\u0000ce@example.com"));
        assertThrows(PkiFormatException.class, () -> EmailAddress.parse("alice@exam\nple.com"));
        assertThrows(PkiFormatException.class, () -> EmailAddress.parse("alice@exam\u00a0ple.com"));
        assertEquals("email address is empty",
                assertThrows(PkiFormatException.class, () -> EmailAddress.parse("")).getMessage());
        assertThrows(PkiFormatException.class, () -> EmailAddress.parse(null));
    }

    @Test
    void lengthLimits() {
        String local64 = "a".repeat(64);
        assertEquals(local64, EmailAddress.parse(local64 + "@example.com").localPart());
        var local = assertThrows(PkiFormatException.class, () -> EmailAddress.parse("a" + local64 + "@example.com"));
        assertEquals("email address local part is longer than 64 characters", local.getMessage());
        String label = "b".repeat(63);
        String domain = label + "." + label + "." + label + "." + "c".repeat(57); // 249 characters
        var total = assertThrows(PkiFormatException.class, () -> EmailAddress.parse("abcde@" + domain));
        assertEquals("email address is longer than 254 characters", total.getMessage());
        assertEquals(domain, EmailAddress.parse("abcd@" + domain).domain());
        var longLabel = assertThrows(PkiFormatException.class,
                () -> EmailAddress.parse("a@" + "b".repeat(64) + ".com"));
        assertEquals("email address domain has a label longer than 63 characters", longLabel.getMessage());
    }

    @Test
    void tryParseIsEmptyForInvalidAddresses() {
        assertTrue(EmailAddress.tryParse("nope").isEmpty());
        assertEquals(EmailAddress.parse("bob@example.org"), EmailAddress.tryParse("bob@EXAMPLE.org").orElseThrow());
    }
}
