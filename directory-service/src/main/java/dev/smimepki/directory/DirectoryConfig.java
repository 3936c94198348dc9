package dev.smimepki.directory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The settings of directory-service. */
@ConfigMapping(prefix = "pki.directory")
public interface DirectoryConfig {

    /**
     * PEM files of CA certificates trusted as anchors in addition to the roots ca-service publishes with every issued
     * certificate and those admins upload: e.g. a commercial CA whose certificates colleagues sign with. A
     * certificate that chains to one of them is {@code trusted}; one that chains to nothing known is
     * {@code unverified}. An unreadable file stops the service at start.
     */
    Optional<List<Path>> trustAnchorFiles();

    /** The read-only LDAP directory mail clients query. */
    Ldap ldap();

    /**
     * How many mailboxes' look-ups each instance keeps in memory, forgotten as soon as PostgreSQL notifies a change
     * to them; 0 reads every look-up from the database. At most about 10 KB each.
     */
    @WithDefault("5000")
    int lookupCacheMailboxes();

    /** The derivation of look-up facts for stored certificates without them ({@code store.RecipientFactsBackfill}). */
    FactsBackfill factsBackfill();

    interface FactsBackfill {
        /** How often such certificates are looked for, e.g. {@code 30s}; {@code off} never (tests run it). */
        @WithDefault("30s")
        String every();
    }

    interface Ldap {
        /** Whether the LDAP listener runs at all. */
        @WithDefault("true")
        boolean enabled();

        /** Address to listen on; {@code 0.0.0.0} for every interface. */
        @WithDefault("0.0.0.0")
        String host();

        /** TCP port (plain LDAP); 0 picks a free port (tests). */
        @WithDefault("1389")
        int port();

        /**
         * How many certificates of an address an entry carries, most preferred first. Thunderbird reads the first
         * usable {@code userCertificate;binary} value; a second lets a client fall back during a key change.
         */
        @WithDefault("2")
        int certificatesPerAddress();

        /** Most entries one search returns, whatever the client asks ({@code sizeLimitExceeded} beyond). */
        @WithDefault("50")
        int maxEntries();

        /** Most distinct addresses one filter may name, e.g. {@code (|(mail=a)(mail=b))}; more is refused. */
        @WithDefault("50")
        int maxAddressesPerSearch();

        /** Longest a search may take, whatever the client asks ({@code timeLimitExceeded} beyond). */
        @WithDefault("5S")
        Duration timeLimit();

        /** Most concurrent client connections. */
        @WithDefault("256")
        int maxConnections();
    }
}
