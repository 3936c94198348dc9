package dev.smimepki.directory.lookup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.smimepki.directory.profile.RecipientFacts;
import dev.smimepki.directory.store.DirectoryCertificate;
import dev.smimepki.directory.store.DirectoryCertificate.Source;
import dev.smimepki.directory.store.DirectoryCertificate.Trust;

/**
 * Picks the certificate to encrypt to among a mailbox's certificates, the classic place to get it wrong: valid now,
 * not revoked, keyUsage fit for encryption, an acceptable key; then trusted before unverified, then newest notBefore.
 * Every certificate not chosen gets its reasons in words.
 */
@ApplicationScoped
public class RecipientCertificateSelector {
    /**
     * A stored certificate with what its DER says.
     *
     * @param stored the directory row
     * @param facts what the DER says: usages, mailboxes, key, why it cannot be encrypted to
     */
    public record Candidate(DirectoryCertificate stored, RecipientFacts facts) {
    }

    /**
     * The judgement on one certificate.
     *
     * @param candidate the certificate
     * @param status valid, revoked or expired now
     * @param usable whether it could be encrypted to
     * @param preferred whether it is the one chosen
     * @param keyChange a harvested, unverified certificate for an address that has a trusted one: never chosen
     * @param rejectedBecause why it was not chosen; empty for the preferred one
     */
    public record Verdict(Candidate candidate, CertificateStatus status, boolean usable, boolean preferred,
            boolean keyChange, List<String> rejectedBecause) {
    }

    /**
     * The outcome for a mailbox.
     *
     * @param verdicts the preferred first, then the other usable ones in order of preference, then the unusable
     * @param noneUsable why no certificate can be used, when none can
     */
    public record Selection(List<Verdict> verdicts, Optional<String> noneUsable) {
        public Optional<Verdict> preferred() {
            return verdicts.stream().filter(Verdict::preferred).findFirst();
        }

        /** The usable certificates, most preferred first. */
        public List<Verdict> usable() {
            return verdicts.stream().filter(Verdict::usable).toList();
        }
    }

    private static final Comparator<Candidate> PREFERENCE = Comparator
            .comparing((Candidate c) -> c.stored().trust == Trust.trusted ? 0 : 1)
            .thenComparing(c -> c.stored().notBefore, Comparator.reverseOrder())
            .thenComparing(c -> c.stored().fingerprintSha256);

    public Selection select(List<Candidate> candidates, Instant now) {
        boolean addressHasTrusted = candidates.stream().anyMatch(c -> c.stored().trust == Trust.trusted);
        List<Candidate> ranked = candidates.stream().sorted(PREFERENCE).toList();
        List<Verdict> usable = new ArrayList<>();
        List<Verdict> unusable = new ArrayList<>();
        Candidate chosen = null;
        for (Candidate candidate : ranked) {
            CertificateStatus status = CertificateStatus.of(candidate.stored(), now);
            boolean keyChange = addressHasTrusted && candidate.stored().source == Source.harvested
                    && candidate.stored().trust == Trust.unverified;
            List<String> reasons = disqualifications(candidate, status, keyChange, now);
            if (!reasons.isEmpty()) {
                unusable.add(new Verdict(candidate, status, false, false, keyChange, reasons));
            } else if (chosen == null) {
                chosen = candidate;
                usable.add(new Verdict(candidate, status, true, true, keyChange, List.of()));
            } else {
                usable.add(new Verdict(candidate, status, true, false, keyChange,
                        List.of(whyNotPreferred(candidate, chosen))));
            }
        }
        List<Verdict> verdicts = new ArrayList<>(usable);
        verdicts.addAll(unusable);
        Optional<String> noneUsable = chosen != null
                ? Optional.empty()
                : Optional.of(candidates.isEmpty()
                        ? "no certificate is known for this address"
                        : "none of the " + candidates.size() + " certificate(s) for this address can be encrypted to: "
                                + String.join("; ", unusable.stream().map(v -> shortId(v.candidate()) + " "
                                        + String.join(", ", v.rejectedBecause())).toList()));
        return new Selection(List.copyOf(verdicts), noneUsable);
    }

    private static List<String> disqualifications(Candidate candidate, CertificateStatus status, boolean keyChange,
            Instant now) {
        DirectoryCertificate stored = candidate.stored();
        List<String> reasons = new ArrayList<>();
        if (status == CertificateStatus.revoked) {
            reasons.add("revoked" + (stored.revocationReason == null ? "" : " (" + stored.revocationReason + ")")
                    + " at " + stored.revokedAt);
        }
        if (now.isAfter(stored.notAfter)) {
            reasons.add("expired on " + stored.notAfter);
        } else if (now.isBefore(stored.notBefore)) {
            reasons.add("not valid before " + stored.notBefore);
        }
        reasons.addAll(candidate.facts().unusableBecause());
        if (keyChange) {
            reasons.add("harvested from mail and unverified while this address has a trusted certificate: a possible "
                    + "key change, never chosen automatically (upload it to accept it)");
        }
        return reasons;
    }

    private static String whyNotPreferred(Candidate candidate, Candidate chosen) {
        if (candidate.stored().trust != chosen.stored().trust) {
            return "usable, but a trusted certificate is preferred over this unverified one";
        }
        return "usable, but " + shortId(chosen) + " is newer (notBefore " + chosen.stored().notBefore + ")";
    }

    private static String shortId(Candidate candidate) {
        return "certificate " + candidate.stored().fingerprintSha256.substring(0, 16);
    }
}
