package dev.smimepki.crypto.mime;

/**
 * How complex a message's MIME structure may be (checked while it is spooled, see {@link MimeStructure}).
 *
 * @param maxDepth deepest nesting of multiparts and attached messages (message/rfc822); the top-level message is at 0
 * @param maxParts most body parts in the whole message, all multiparts together
 * @param maxHeaderFields most fields in one header section
 * @param maxHeaderSize largest header section, in bytes
 */
public record MimeLimits(int maxDepth, int maxParts, int maxHeaderFields, int maxHeaderSize) {
    /** The defaults of {@code pki.crypto.mime.*} and {@code pki.crypto.max-header-size}. */
    public static final MimeLimits DEFAULT = new MimeLimits(16, 1000, 1000, 262144);
}
