package dev.smimepki.crypto;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The settings of crypto-service. It holds no secret: private keys stay in keystore-service. */
@ConfigMapping(prefix = "pki.crypto")
public interface CryptoConfig {

    /**
     * Largest message accepted by sign, encrypt, decrypt and verify, in bytes; larger bodies get 413. Messages are
     * spooled to temporary files, so this bounds disk use per request, not heap. Keep
     * {@code quarkus.http.limits.max-body-size} at least this large.
     */
    @WithDefault("536870912")
    long maxMessageSize();

    /**
     * Largest header section of a message (and of a MIME part whose headers are read), in bytes. Headers are held
     * in memory, bodies never are.
     */
    @WithDefault("262144")
    int maxHeaderSize();

    /** How complex a message's MIME structure may be; checked while it is spooled, before anything reads it. */
    Mime mime();

    /**
     * Where spooled messages go while they are processed; the JVM's temporary directory when absent. Each request
     * deletes its files when it ends.
     */
    Optional<Path> temporaryDirectory();

    /**
     * PEM files of the certificates that verification accepts as trust anchors (root CAs). Files are re-read when
     * they change, so anchors can be added without a restart. Without any, no chain is trusted and every report says
     * so.
     */
    Optional<List<Path>> trustAnchors();

    /**
     * Whether the roots of this platform's own CAs, read from ca-service ({@code pki.ca.url}, env {@code PKI_CA_URL}),
     * are trust anchors too. Default true.
     */
    @WithDefault("true")
    boolean trustPlatformCas();

    /**
     * Whether our signatures announce AES-GCM (AuthEnvelopedData) in SMIMECapabilities. Off by default: NSS, and so
     * Thunderbird, cannot read AES-GCM, and a user may open mail with their exported key there; a correspondent who
     * saw GCM announced would send messages that user cannot read. AES-256-CBC and AES-128-CBC are always announced.
     */
    @WithDefault("false")
    boolean announceGcm();

    /**
     * Whether verification fetches intermediates a message lacks from the signer certificate's authorityInfoAccess
     * caIssuers URL (http/https only, 256 KiB at most, with the revocation timeouts). Default true.
     */
    @WithDefault("true")
    boolean fetchIssuers();

    /**
     * Limits on the MIME structure of every message taken in (and of the inner message of a decrypted one). A message
     * past one is refused with 422 and a problem code naming it ({@code mime-nesting-too-deep},
     * {@code mime-too-many-parts}, {@code mime-too-many-header-fields}; {@code mime-header-too-large} for
     * {@code max-header-size}). Lines are not limited: a body line is never held in memory, and a header line counts
     * against its header section's size. Base64 and quoted-printable bodies are decoded while streamed, and they only
     * shrink. CMS compressed-data (RFC 3274) is refused (422 {@code compressed-data-unsupported}), never decompressed:
     * nothing here needs its content, and that keeps decompression bombs out.
     */
    interface Mime {
        /**
         * The deepest nesting of multiparts and attached messages (message/rfc822 not base64-encoded): the top-level
         * message is at 0, the parts of a top-level multipart at 1. Real mail rarely passes 5.
         */
        @WithDefault("16")
        int maxDepth();

        /** The most body parts in one message, counting the parts of every multipart in it. */
        @WithDefault("1000")
        int maxParts();

        /** The most fields in one header section (of the message or of any part). */
        @WithDefault("1000")
        int maxHeaderFields();
    }

    /** How verification learns whether a signer certificate was revoked (OCSP, then CRL). */
    Revocation revocation();

    /** Revocation checking of signer certificates. */
    interface Revocation {
        /**
         * Whether the signer certificate's OCSP responder and CRL (its http/https AIA and CRL distribution point URLs)
         * are asked. When false every report says {@code revocation: unknown} and why. Default true.
         */
        @WithDefault("true")
        boolean enabled();

        /** Connection timeout for OCSP, CRL and caIssuers requests. */
        @WithDefault("PT2S")
        Duration connectTimeout();

        /** Read timeout (between bytes) for OCSP, CRL and caIssuers requests. */
        @WithDefault("PT5S")
        Duration readTimeout();

        /** Most revocation answers cached, one per (issuer, serial); the least recently used go first. */
        @WithDefault("10000")
        int cacheSize();

        /** How long an answer without nextUpdate is cached. */
        @WithDefault("PT5M")
        Duration defaultCacheTime();

        /**
         * The longest an answer is cached, whatever its nextUpdate says: a CRL may be valid for days, and a
         * revocation should show within this time.
         */
        @WithDefault("PT1H")
        Duration maxCacheTime();

        /** How long an {@code unknown} (responder and CRL unreachable) is cached, sparing every message the timeouts. */
        @WithDefault("PT30S")
        Duration unknownCacheTime();

        /** Largest CRL read, in bytes. */
        @WithDefault("8388608")
        int maxCrlSize();
    }
}
