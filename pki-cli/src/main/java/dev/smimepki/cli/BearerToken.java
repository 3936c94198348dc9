package dev.smimepki.cli;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import dev.smimepki.core.policy.KeyAlgorithm;

/** Bearer tokens the platform's services accept (their {@code mp.jwt.verify.*} settings), for the CLI and tests. */
public final class BearerToken {
    /** The {@code iss} every service expects ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "smime-pki";

    private BearerToken() {
    }

    /** An RS256 JWT (RFC 7519) with the claims MicroProfile JWT reads: iss, sub, upn, email, groups, iat, exp. */
    public static String mint(PrivateKey key, String role, String mailbox, Instant now, Duration valid) {
        String subject = mailbox != null ? mailbox : role;
        StringBuilder claims = new StringBuilder("{\"iss\":\"").append(ISSUER).append("\",\"sub\":\"")
                .append(json(subject)).append("\",\"upn\":\"").append(json(subject)).append('"');
        if (mailbox != null) {
            claims.append(",\"email\":\"").append(json(mailbox)).append('"');
        }
        claims.append(",\"groups\":[\"").append(role).append("\"],\"iat\":").append(now.getEpochSecond())
                .append(",\"exp\":").append(now.plus(valid).getEpochSecond()).append('}');
        String signingInput = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + base64Url(claims.toString());
        try {
            Signature signature = Signature.getInstance(KeyAlgorithm.RSA_2048.signatureAlgorithm());
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the token: " + e.getMessage(), e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
