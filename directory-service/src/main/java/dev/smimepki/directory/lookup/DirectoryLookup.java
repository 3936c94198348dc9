package dev.smimepki.directory.lookup;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.directory.lookup.RecipientCertificateSelector.Candidate;
import dev.smimepki.directory.lookup.RecipientCertificateSelector.Selection;
import dev.smimepki.directory.lookup.RecipientCertificateSelector.Verdict;
import dev.smimepki.directory.profile.RecipientFacts;
import dev.smimepki.directory.store.CertificateStore;
import dev.smimepki.directory.store.DirectoryCertificate;
import dev.smimepki.directory.store.ParsedCertificates;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/** Answers "which certificate do I encrypt to for this address?" for HTTP and LDAP alike. */
@ApplicationScoped
public class DirectoryLookup {
    private final CertificateStore store;
    private final RecipientCertificateSelector selector;
    private final ParsedCertificates parsed;

    DirectoryLookup(CertificateStore store, RecipientCertificateSelector selector, ParsedCertificates parsed) {
        this.store = store;
        this.selector = selector;
        this.parsed = parsed;
    }

    /**
     * A mailbox with the selector's verdict on each of its certificates.
     *
     * @param mailbox the normalised address
     * @param selection the verdicts
     */
    public record Entry(EmailAddress mailbox, Selection selection) {
    }

    /** Looks the address up; a malformed address is a 400. Runs on LDAP threads too, hence the request context. */
    @ActivateRequestContext
    public Entry lookup(String address) {
        EmailAddress mailbox = EmailAddress.parse(address);
        List<Candidate> candidates = store.forAddress(mailbox).stream()
                .map(stored -> new Candidate(stored, stored.facts().orElseGet(() -> RecipientFacts.of(parsed(stored)))))
                .toList();
        return new Entry(mailbox, selector.select(candidates, Instant.now()));
    }

    public DirectoryEntryView view(String address) {
        Entry entry = lookup(address);
        return new DirectoryEntryView(entry.mailbox().toString(),
                entry.selection().preferred().map(v -> v.candidate().stored().fingerprintSha256).orElse(null),
                entry.selection().noneUsable().orElse(null),
                entry.selection().verdicts().stream().map(DirectoryLookup::view).toList());
    }

    /** The preferred certificate followed by its chain, PEM; 404 saying why when there is none. */
    public String preferredChainPem(String address) {
        Verdict preferred = preferred(lookup(address));
        DirectoryCertificate stored = preferred.candidate().stored();
        return Pem.encode(PemType.CERTIFICATE, stored.der) + (stored.chainPem == null ? "" : stored.chainPem);
    }

    /** The RFC 8162 record of the preferred certificate; 404 saying why when there is none. */
    public SmimeaRecord smimea(String address, int matchingType) {
        if (matchingType != SmimeaRecord.MATCH_FULL && matchingType != SmimeaRecord.MATCH_SHA256) {
            throw new ProblemException(Kind.MALFORMED, "invalid-matching-type",
                    "matchingType must be 0 (full certificate) or 1 (SHA2-256)");
        }
        Entry entry = lookup(address);
        return SmimeaRecord.of(entry.mailbox(), parsed(preferred(entry).candidate().stored()), matchingType);
    }

    /** The parsed certificate of a row, for what its stored facts do not answer. */
    private Certificate parsed(DirectoryCertificate stored) {
        return parsed.of(stored.fingerprintSha256, () -> stored.der);
    }

    private static Verdict preferred(Entry entry) {
        return entry.selection().preferred().orElseThrow(() -> new ProblemException(Kind.NOT_FOUND,
                "no-usable-certificate", "no usable certificate for " + entry.mailbox() + ": "
                        + entry.selection().noneUsable().orElse("none is known")));
    }

    private static CertificateView view(Verdict verdict) {
        DirectoryCertificate stored = verdict.candidate().stored();
        RecipientFacts facts = verdict.candidate().facts();
        return new CertificateView(stored.fingerprintSha256, stored.serial, stored.issuer, stored.subject,
                stored.notBefore, stored.notAfter, verdict.status(), stored.source.name(), stored.trust.name(),
                facts.keyUsage(), Pem.encode(PemType.CERTIFICATE, stored.der), facts.emails(), facts.key(),
                stored.revokedAt, stored.revocationReason, stored.trustDetail, stored.firstSeen, stored.lastSeen,
                stored.timesHarvested,
                stored.smimeCapabilities == null || stored.smimeCapabilities.isEmpty()
                        ? null
                        : List.of(stored.smimeCapabilities.split(",")),
                verdict.preferred(), verdict.usable(), verdict.keyChange(), verdict.rejectedBecause());
    }
}
