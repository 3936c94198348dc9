package dev.smimepki.directory.upload;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an upload changed.
 *
 * @param certificates the recipient certificates stored (or seen again)
 * @param anchors the CA certificates taken as trust anchors (admins only)
 * @param ignored CA certificates used only to build paths, with the reason they were not made anchors
 */
public record UploadResult(List<Stored> certificates, List<Anchor> anchors, List<Ignored> ignored) {

    /**
     * A stored recipient certificate.
     *
     * @param fingerprintSha256 lower-case hex SHA-256 of the DER
     * @param subject RFC 2253
     * @param emails the mailboxes it is now found under
     * @param source the directory's source for it ({@code uploaded}, or {@code issued} when the CA issued it)
     * @param trust {@code trusted} or {@code unverified}
     * @param trustDetail why
     */
    public record Stored(String fingerprintSha256, String subject, List<String> emails, String source, String trust,
            String trustDetail) {
    }

    /**
     * A CA certificate now trusted as an anchor.
     *
     * @param fingerprintSha256 lower-case hex SHA-256 of the DER
     * @param subject RFC 2253
     */
    public record Anchor(String fingerprintSha256, String subject) {
    }

    /**
     * A CA certificate not made an anchor.
     *
     * @param fingerprintSha256 lower-case hex SHA-256 of the DER
     * @param subject RFC 2253
     * @param reason why
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ignored(String fingerprintSha256, String subject, String reason) {
    }
}
