package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;

class BearerTokenTest {

    @Test
    void tokenIsAnRs256JwtWithTheClaimsTheServicesRead() throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA_2048);
        Instant now = Instant.ofEpochSecond(1_700_000_000L);

        String jwt = BearerToken.mint(keys.getPrivate(), "pki-user", "alice@example.com", now, Duration.ofHours(1));

        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length);
        assertEquals("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", decode(parts[0]));
        assertEquals("{\"iss\":\"smime-pki\",\"sub\":\"alice@example.com\",\"upn\":\"alice@example.com\","
                + "\"email\":\"alice@example.com\",\"groups\":[\"pki-user\"],\"iat\":1700000000,\"exp\":1700003600}",
                decode(parts[1]));
        Signature verifier = Signature.getInstance(KeyAlgorithm.RSA_2048.signatureAlgorithm());
        verifier.initVerify(keys.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])));

        verifier.initVerify(KeyPairs.generate(KeyAlgorithm.RSA_2048).getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertFalse(verifier.verify(Base64.getUrlDecoder().decode(parts[2])), "another key does not verify it");
    }

    @Test
    void adminTokenHasNoMailbox() {
        String jwt = BearerToken.mint(KeyPairs.generate(KeyAlgorithm.RSA_2048).getPrivate(), "pki-admin", null,
                Instant.ofEpochSecond(0), Duration.ofMinutes(1));
        assertEquals("{\"iss\":\"smime-pki\",\"sub\":\"pki-admin\",\"upn\":\"pki-admin\",\"groups\":[\"pki-admin\"],"
                + "\"iat\":0,\"exp\":60}", decode(jwt.split("\\.")[1]));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
