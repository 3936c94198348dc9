package dev.smimepki.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Random;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;

/** The validity times Certificate reads itself must be what BouncyCastle and the JDK read. */
class ValidityTimeTest {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'");

    @Test
    void utcTimeAndGeneralizedTimeReadAsBouncyCastleReadsThem() {
        Random random = new Random(20261207);
        long from = LocalDateTime.of(1950, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long to = LocalDateTime.of(2049, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
        for (int i = 0; i < 20_000; i++) {
            LocalDateTime utc = LocalDateTime.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)), 0,
                    ZoneOffset.UTC);
            assertSameAsBouncyCastle(new Time(new ASN1UTCTime(UTC_TIME.format(utc))), utc);
            LocalDateTime generalized = utc.plusYears(random.nextInt(8000) - 100);
            assertSameAsBouncyCastle(new Time(new ASN1GeneralizedTime(GENERALIZED_TIME.format(generalized))),
                    generalized);
        }
        for (String edge : new String[]{"500101000000Z", "491231235959Z", "991231235959Z", "000101000000Z",
                "240229120000Z"}) {
            Time time = new Time(new ASN1UTCTime(edge));
            assertEquals(time.getDate().toInstant(), Certificate.instantOf(time), edge);
        }
    }

    @Test
    void otherFormsAreLeftToBouncyCastle() {
        for (String generalized : new String[]{"20501231235959.5Z", "20501231235959.123Z", "205012312359Z",
                "20240230120000Z", "20241231240000Z"}) {
            Time time = new Time(new ASN1GeneralizedTime(generalized));
            assertEquals(time.getDate().toInstant(), Certificate.instantOf(time), generalized);
        }
        for (String utc : new String[]{"2412312359Z", "241231235959+0100", "241231246060Z"}) {
            Time time = new Time(new ASN1UTCTime(utc));
            assertEquals(time.getDate().toInstant(), Certificate.instantOf(time), utc);
        }
    }

    @Test
    void aCertificateValidBeyond2049AgreesWithTheJdk() throws Exception {
        Instant notBefore = Instant.parse("2049-12-31T23:59:58Z");
        Instant notAfter = Instant.parse("2050-01-01T00:00:01Z");
        Certificate certificate = TestPki.shared()
                .issue(EndEntitySpec.forEmails("later@example.com").validity(notBefore, notAfter)).certificate();
        X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.der()));
        assertEquals(notBefore, certificate.notBefore());
        assertEquals(notAfter, certificate.notAfter());
        assertEquals(jdk.getNotBefore().toInstant(), certificate.notBefore());
        assertEquals(jdk.getNotAfter().toInstant(), certificate.notAfter());
    }

    private static void assertSameAsBouncyCastle(Time time, LocalDateTime expected) {
        Instant read = Certificate.instantOf(time);
        assertEquals(Date.from(expected.toInstant(ZoneOffset.UTC)).toInstant(), read, time.toString());
        assertEquals(time.getDate().toInstant(), read, time.toString());
    }
}
