package dev.smimepki.directory.lookup;

import java.util.List;

/**
 * The look-up answer for a mailbox (API.md).
 *
 * @param email the mailbox as matched: local part as given, domain lower-cased (IDN in ASCII form)
 * @param preferred the fingerprint of the certificate to encrypt to; null when none is usable
 * @param reason why none is usable, when none is
 * @param certificates every certificate of the mailbox, the preferred first
 */
public record DirectoryEntryView(String email, String preferred, String reason, List<CertificateView> certificates) {
}
