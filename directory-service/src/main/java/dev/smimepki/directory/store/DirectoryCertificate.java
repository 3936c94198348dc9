package dev.smimepki.directory.store;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import dev.smimepki.directory.profile.RecipientFacts;

/** A recipient certificate the directory knows, with where it came from and whether it chains to an anchor. */
@Entity
@Table(name = "directory_certificate")
public class DirectoryCertificate extends PanacheEntityBase {
    /**
     * Where the directory learnt the certificate (API.md {@code source}). A certificate seen several ways keeps the
     * most authoritative source: issued, then uploaded, then harvested.
     */
    public enum Source {
        issued,
        harvested,
        uploaded;

        int authority() {
            return switch (this) {
                case issued -> 3;
                case uploaded -> 2;
                case harvested -> 1;
            };
        }
    }

    /** Whether it chains to a trusted anchor (API.md {@code trust}). */
    public enum Trust {
        trusted,
        unverified
    }

    @Id
    @Column(name = "fingerprint_sha256")
    public String fingerprintSha256;
    public String serial;
    public String issuer;
    public String subject;
    @Column(name = "not_before")
    public Instant notBefore;
    @Column(name = "not_after")
    public Instant notAfter;
    @Enumerated(EnumType.STRING)
    public Source source;
    @Enumerated(EnumType.STRING)
    public Trust trust;
    public byte[] der;
    @Column(name = "chain_pem")
    public String chainPem;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    @Column(name = "revocation_reason")
    public String revocationReason;
    @Column(name = "first_seen")
    public Instant firstSeen;
    @Column(name = "last_seen")
    public Instant lastSeen;
    @Column(name = "times_harvested")
    public int timesHarvested;
    /** Why the certificate is trusted or not, for people reading a look-up. */
    @Column(name = "trust_detail")
    public String trustDetail = "";
    /** SMIMECapabilities OIDs, comma-separated, from the newest harvested signature; null when never announced. */
    @Column(name = "smime_capabilities")
    public String smimeCapabilities;

    /** The {@link RecipientFacts#VERSION} that derived the facts below; null until they are derived. */
    @Column(name = "facts_version")
    public Integer factsVersion;
    @Column(name = "key_usage")
    public String[] keyUsage;
    public String[] emails;
    @Column(name = "key_description")
    public String keyDescription;
    @Column(name = "common_name")
    public String commonName;
    @Column(name = "unusable_because")
    public String[] unusableBecause;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "directory_mailbox", joinColumns = @JoinColumn(name = "fingerprint_sha256"))
    @Column(name = "address")
    public Set<String> addresses = new LinkedHashSet<>();

    /** The stored facts, when this version's rules derived them. */
    public Optional<RecipientFacts> facts() {
        if (factsVersion == null || factsVersion != RecipientFacts.VERSION || keyUsage == null || emails == null
                || keyDescription == null || unusableBecause == null) {
            return Optional.empty();
        }
        return Optional.of(new RecipientFacts(List.of(keyUsage), List.of(emails), keyDescription,
                Optional.ofNullable(commonName), List.of(unusableBecause)));
    }

    /** Stores the facts derived by this version's rules. */
    public void facts(RecipientFacts facts) {
        factsVersion = RecipientFacts.VERSION;
        keyUsage = facts.keyUsage().toArray(String[]::new);
        emails = facts.emails().toArray(String[]::new);
        keyDescription = facts.key();
        commonName = facts.commonName().orElse(null);
        unusableBecause = facts.unusableBecause().toArray(String[]::new);
    }
}
