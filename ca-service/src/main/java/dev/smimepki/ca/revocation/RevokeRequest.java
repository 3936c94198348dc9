package dev.smimepki.ca.revocation;

import jakarta.validation.constraints.NotBlank;

/**
 * {@code POST /api/v1/certificates/{serial}/revoke}.
 *
 * @param reason RFC 5280 CRLReason name, e.g. {@code keyCompromise}, {@code superseded}
 */
public record RevokeRequest(@NotBlank String reason) {
}
