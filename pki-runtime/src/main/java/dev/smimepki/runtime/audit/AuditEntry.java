package dev.smimepki.runtime.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import dev.smimepki.core.policy.AlgorithmPolicy;

/**
 * One link of the audit chain: who did what to which target, when, bound to the previous link by its hash.
 *
 * @param sequence 1, 2, 3, ... without gaps
 * @param time when it happened, to the microsecond (what PostgreSQL stores)
 * @param actor who did it: the caller's mailbox or token subject, or the event source
 * @param action the service's action code, e.g. {@code CERTIFICATE_ISSUED}
 * @param target what it was done to: a serial, key id or CA id; may be null
 * @param detail what else matters; never key material, passwords or tokens; may be null
 * @param previousHash the hash of entry {@code sequence - 1}, {@link #GENESIS_HASH} for entry 1
 * @param hash SHA-256 (lower-case hex) of {@link #canonical}
 */
public record AuditEntry(long sequence, Instant time, String actor, String action, String target, String detail,
        String previousHash, String hash) {

    /** The previous hash of the first entry. */
    public static final String GENESIS_HASH = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();
    private static final int NULL_LENGTH = -1;

    /** A new link after {@code previousHash}, its hash computed. */
    static AuditEntry link(long sequence, Instant time, String actor, String action, String target, String detail,
            String previousHash) {
        return new AuditEntry(sequence, time, actor, action, target, detail, previousHash,
                hashOf(sequence, time, actor, action, target, detail, previousHash));
    }

    /** Whether {@link #hash} is the hash of this entry's fields: false once a row was edited. */
    public boolean hashMatches() {
        return hashOf(sequence, time, actor, action, target, detail, previousHash).equals(hash);
    }

    /**
     * The bytes the hash covers: each of sequence (decimal), time (ISO-8601 UTC as {@link Instant#toString}), actor,
     * action, target, detail and previous hash as a 4-byte big-endian length and its UTF-8 bytes, a null as length
     * -1. Length prefixes make the encoding unambiguous: no two different entries encode alike.
     */
    static byte[] canonical(long sequence, Instant time, String actor, String action, String target, String detail,
            String previousHash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[]{Long.toString(sequence), time.toString(), actor, action, target, detail,
                previousHash}) {
            if (field == null) {
                out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(NULL_LENGTH).array());
            } else {
                byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(utf8.length).array());
                out.writeBytes(utf8);
            }
        }
        return out.toByteArray();
    }

    private static String hashOf(long sequence, Instant time, String actor, String action, String target,
            String detail, String previousHash) {
        try {
            return HEX.formatHex(MessageDigest.getInstance(AlgorithmPolicy.DIGEST_SHA256)
                    .digest(canonical(sequence, time, actor, action, target, detail, previousHash)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
