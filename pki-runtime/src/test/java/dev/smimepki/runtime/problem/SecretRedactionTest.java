package dev.smimepki.runtime.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.test.TestTokens;

/** Exception text on its way to the log loses tokens and private keys, and keeps everything else. */
class SecretRedactionTest {

    @Test
    void aRefusedTokenInAnExceptionMessageIsBlanked() {
        String token = TestTokens.forged();
        // the shape of jose4j's InvalidJwtException message
        String message = "JWT processing failed. Additional details: [[9] Invalid JWS Signature:"
                + " JsonWebSignature{\"alg\":\"RS256\"}->" + token + "]";
        String redacted = SecretRedaction.redact(new IllegalStateException("outer",
                new IllegalArgumentException(message)));
        assertFalse(redacted.contains(token.substring(0, 40)), redacted);
        assertFalse(redacted.contains(token.substring(token.lastIndexOf('.'))), redacted);
        assertTrue(redacted.contains("Invalid JWS Signature"), redacted);
        assertTrue(redacted.contains("SecretRedactionTest"), "the stack stays: " + redacted);
    }

    @Test
    void privateKeysAndBearerHeadersAreBlanked() {
        byte[] pkcs8 = KeyPairs.generate(KeyAlgorithm.EC_P256).getPrivate().getEncoded();
        String pem = Pem.encode(PemType.PRIVATE_KEY, pkcs8).strip();
        String redacted = SecretRedaction.redact("cannot parse " + pem + " from Authorization: Bearer abc.def");
        assertFalse(redacted.contains(Base64.getEncoder().encodeToString(pkcs8).substring(0, 20)), redacted);
        assertFalse(redacted.contains("abc.def"), redacted);
        assertEquals("cannot parse [redacted] from Authorization: Bearer [redacted]", redacted);
        assertEquals("nothing secret: 0a1b", SecretRedaction.redact("nothing secret: 0a1b"));
    }
}
