package dev.smimepki.core.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;

/** Parsing the same bytes again answers the same certificate; other bytes, even of the same certificate, do not. */
class RecentlyParsedTest {
    private static final TestPki PKI = TestPki.shared();

    @Test
    void theSameBytesAnswerTheSameParseAndTheCallersArrayIsNotKept() {
        byte[] der = PKI.issue(EndEntitySpec.forEmails("recent-" + System.nanoTime() + "@example.com"))
                .certificate().der();
        byte[] original = der.clone();
        Certificate first = Certificate.of(der);
        assertSame(first, Certificate.of(der.clone()));

        der[der.length - 1] ^= 1; // the caller reuses its array: the parsed certificate keeps its own copy
        assertArrayEquals(original, first.der());
        assertSame(first, Certificate.of(original));
        Certificate tampered = Certificate.of(der); // a changed signature byte still parses, as another certificate
        assertNotSame(first, tampered);
        assertNotEquals(first.fingerprintSha256(), tampered.fingerprintSha256());
    }

    @Test
    void aBerEncodingOfACertificateParsedBeforeIsStillRefused() {
        byte[] der = PKI.issue(EndEntitySpec.forEmails("ber-" + System.nanoTime() + "@example.com"))
                .certificate().der();
        Certificate.of(der);
        var e = assertThrows(PkiFormatException.class,
                () -> Certificate.of(HostileInputTest.withIndefiniteLength(der)));
        assertEquals("not a DER-encoded X.509 certificate: encoding is not DER", e.getMessage());
    }

    @Test
    void keepsAtMostItsCapacity() {
        byte[] der = PKI.issue(EndEntitySpec.forEmails("many-" + System.nanoTime() + "@example.com")).certificate()
                .der();
        // other signature bytes make other certificates (the parse does not check signatures): cheap to make many
        for (int i = 0; i < RecentlyParsed.CAPACITY + 100; i++) {
            byte[] other = der.clone();
            other[other.length - 1] = (byte) i;
            other[other.length - 2] = (byte) (i >> 8);
            assertArrayEquals(other, Certificate.of(other).der());
            assertTrue(Certificate.RECENT.size() <= RecentlyParsed.CAPACITY, "kept " + Certificate.RECENT.size());
        }
    }
}
