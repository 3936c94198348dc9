package dev.smimepki.directory.trust;

import dev.smimepki.directory.store.DirectoryCertificate.Trust;

/**
 * The outcome of checking a certificate's chain.
 *
 * @param trust {@code trusted} when a path to an anchor validated, else {@code unverified}
 * @param detail why, for people reading a look-up (the anchor reached, or what was missing or wrong)
 */
public record Verification(Trust trust, String detail) {
    public boolean trusted() {
        return trust == Trust.trusted;
    }
}
