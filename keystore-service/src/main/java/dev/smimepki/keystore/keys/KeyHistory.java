package dev.smimepki.keystore.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.runtime.auth.Caller;

/** Every key a mailbox ever had, newest first: superseded and revoked keys still open old mail. */
@ApplicationScoped
public class KeyHistory {
    private final KeyVault vault;
    private final Caller caller;

    KeyHistory(KeyVault vault, Caller caller) {
        this.vault = vault;
        this.caller = caller;
    }

    /** A user sees its own mailbox (the default); admins name one. 403 for another mailbox. */
    @Transactional
    public List<KeyHistoryEntry> of(String email) {
        EmailAddress mailbox;
        if (email == null || email.isBlank()) {
            mailbox = caller.mailbox().orElseThrow(() -> new PkiFormatException(
                    "the query parameter email is required"));
        } else {
            mailbox = EmailAddress.parse(email);
        }
        caller.requireOwnerOf(List.of(mailbox));
        Instant now = Instant.now();
        List<KeyHistoryEntry> entries = new ArrayList<>();
        boolean currentSeen = false;
        for (StoredKey key : vault.history(mailbox)) {
            List<KeyCertificate> certificates = vault.certificates(key.id);
            String status;
            if (certificates.isEmpty()) {
                status = "pending";
            } else if (certificates.stream().anyMatch(c -> c.isValidAt(now))) {
                status = currentSeen ? "superseded" : "current";
                currentSeen = true;
            } else if (certificates.stream().allMatch(c -> c.revokedAt != null)) {
                status = "revoked";
            } else {
                status = "expired";
            }
            entries.add(new KeyHistoryEntry(key.id.toString(), key.keyAlgorithm, key.origin.name(), key.createdAt,
                    key.emails.stream().sorted().toList(), status, certificates.stream()
                            .map(c -> new KeyHistoryEntry.CertificateSummary(c.fingerprintSha256, c.serial,
                                    c.notBefore, c.notAfter, c.revokedAt, c.revocationReason))
                            .toList()));
        }
        return entries;
    }
}
