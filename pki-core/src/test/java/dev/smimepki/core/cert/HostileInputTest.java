package dev.smimepki.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.core.testpki.TestPki;

/** Whatever arrives, parsing ends in a certificate or a PkiFormatException, never another exception. */
class HostileInputTest {
    private static final byte[] GOOD = TestPki.shared().issue("hostile@example.com").certificate().der();
    /** Fixed seed: a failure must reproduce. */
    private final Random random = new Random(20240601);

    @Test
    void randomBytes() {
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(1500)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length > 4) {
                // Look like a SEQUENCE with a long-form length so the parser goes further than the first octet.
                bytes[0] = 0x30;
                bytes[1] = (byte) 0x82;
            }
            assertFormatErrorOnly(bytes, Certificate::of);
        }
    }

    @Test
    void everyTruncation() {
        for (int length = 0; length < GOOD.length; length++) {
            byte[] truncated = Arrays.copyOf(GOOD, length);
            var e = assertThrows(PkiFormatException.class, () -> Certificate.of(truncated), "length " + length);
            assertTrue(e.getMessage().startsWith("not a DER-encoded X.509 certificate"), e.getMessage());
        }
    }

    @Test
    void byteFlipsParseOrFailCleanly() {
        for (int i = 0; i < 3000; i++) {
            byte[] mutated = GOOD.clone();
            mutated[random.nextInt(mutated.length)] ^= (byte) (1 + random.nextInt(255));
            assertFormatErrorOnly(mutated, Certificate::of);
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] extended = Arrays.copyOf(GOOD, GOOD.length + 1);
        assertThrows(PkiFormatException.class, () -> Certificate.of(extended));
    }

    @Test
    void berEncodingIsRejected() {
        var e = assertThrows(PkiFormatException.class, () -> Certificate.of(withIndefiniteLength(GOOD)));
        assertEquals("not a DER-encoded X.509 certificate: encoding is not DER", e.getMessage());
    }

    /** The same certificate with an indefinite-length outer SEQUENCE: valid BER, not DER. */
    static byte[] withIndefiniteLength(byte[] der) {
        int headerLength = 2 + (der[1] & 0x7f);
        ByteArrayOutputStream ber = new ByteArrayOutputStream();
        ber.write(0x30);
        ber.write(0x80);
        ber.write(der, headerLength, der.length - headerLength);
        ber.write(0);
        ber.write(0);
        return ber.toByteArray();
    }

    @Test
    void deepNesting() {
        byte[] indefinite = new byte[200_000];
        for (int i = 0; i < indefinite.length; i += 2) {
            indefinite[i] = 0x30;
            indefinite[i + 1] = (byte) 0x80;
        }
        assertFormatErrorOnly(indefinite, Certificate::of);
        // Definite lengths: 0x30 0x83 LLLLLL, nested 20 000 deep.
        int depth = 20_000;
        byte[] definite = new byte[depth * 5];
        for (int i = 0; i < depth; i++) {
            int remaining = definite.length - (i + 1) * 5;
            definite[i * 5] = 0x30;
            definite[i * 5 + 1] = (byte) 0x83;
            definite[i * 5 + 2] = (byte) (remaining >> 16);
            definite[i * 5 + 3] = (byte) (remaining >> 8);
            definite[i * 5 + 4] = (byte) remaining;
        }
        assertFormatErrorOnly(definite, Certificate::of);
    }

    @Test
    void emptyAndNull() {
        assertThrows(PkiFormatException.class, () -> Certificate.of(new byte[0]));
        assertThrows(PkiFormatException.class, () -> Certificate.of((byte[]) null));
        assertThrows(PkiFormatException.class, () -> Certificate.fromPemOrDer(new byte[0]));
    }

    @Test
    void randomPemBodies() {
        for (int i = 0; i < 500; i++) {
            byte[] body = new byte[random.nextInt(800) + 1];
            random.nextBytes(body);
            if (i % 2 == 0) {
                body[0] = 0x30;
            }
            String pem = Pem.encode(PemType.CERTIFICATE, body);
            assertFormatErrorOnly(pem, Certificate::fromPem);
            assertFormatErrorOnly(pem + pem, CertificateChain::fromPem);
        }
    }

    @Test
    void randomText() {
        String alphabet = "-----BEGIN CERTIFICATE END \n\r=+/AZaz09\u0000\u00ff";
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(300);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertFormatErrorOnly(text.toString(), Pem::parse);
            assertFormatErrorOnly(text.toString(), Certificate::fromPem);
        }
    }

    @Test
    void mutatedPemOfAGoodCertificate() {
        String pem = Pem.encode(PemType.CERTIFICATE, GOOD);
        for (int i = 0; i < 1000; i++) {
            char[] chars = pem.toCharArray();
            chars[random.nextInt(chars.length)] = "A-=\n /+".charAt(random.nextInt(7));
            assertFormatErrorOnly(new String(chars), Certificate::fromPem);
        }
    }

    @Test
    void hostileKeys() {
        for (int i = 0; i < 500; i++) {
            byte[] bytes = new byte[random.nextInt(400)];
            random.nextBytes(bytes);
            if (bytes.length > 0) {
                bytes[0] = 0x30;
            }
            assertFormatErrorOnly(bytes, KeyPairs::privateKeyFromDer);
            assertFormatErrorOnly(bytes, KeyPairs::publicKeyFromDer);
        }
        byte[] truncated = Arrays.copyOf(TestPki.shared().root().privateKey().getEncoded(), 100);
        assertThrows(PkiFormatException.class, () -> KeyPairs.privateKeyFromDer(truncated));
    }

    @Test
    void base64OfGarbageIsNotACertificate() {
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getEncoder().encodeToString(new byte[]{0x30, 0})
                + "\n-----END CERTIFICATE-----\n";
        assertThrows(PkiFormatException.class, () -> Certificate.fromPem(pem));
    }

    private static <T> void assertFormatErrorOnly(T input, Consumer<T> parser) {
        try {
            parser.accept(input);
        } catch (PkiFormatException expected) {
            // the only acceptable failure
        } catch (Throwable e) {
            fail("leaked " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
    }
}
