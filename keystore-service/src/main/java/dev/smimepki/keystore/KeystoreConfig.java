package dev.smimepki.keystore;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The settings of keystore-service; key-encryption keys come only from the environment or a Kubernetes Secret. */
@ConfigMapping(prefix = "pki.keystore")
public interface KeystoreConfig {

    /** Key-encryption keys: they wrap the per-key data keys that encrypt the private keys at rest. */
    Kek kek();

    /** PKCS#12 import and export. */
    Pkcs12 pkcs12();

    interface Kek {
        /**
         * The version that wraps the data keys of new private keys, and to which the background rotation rewraps every
         * data key still wrapped under another version. To rotate: add the new version to {@link #versions()}, make
         * it active, restart; keep the old version configured until no row uses it any more (the metric
         * {@code pki.keystore.kek.pending} reaches 0).
         */
        @WithDefault("1")
        String active();

        /**
         * Every KEK version this service can unwrap with: version name to base64 of exactly 32 random bytes
         * (AES-256). Version {@code 1} is the environment variable {@code PKI_KEYSTORE_KEK} (see
         * application.properties); further versions e.g. {@code PKI_KEYSTORE_KEK_VERSIONS_2}. Never in a file of the
         * repository. Without the active version the service does not start.
         */
        Map<String, String> versions();

        /** Background rewrapping of data keys to the active version. */
        Rotation rotation();
    }

    interface Rotation {
        /**
         * How often the rotation job looks for data keys wrapped under a version other than the active one. Each
         * run rewraps all it finds, batch by batch.
         */
        @WithDefault("30s")
        String every();

        /**
         * Data keys rewrapped per database transaction. A crash loses at most the batch in flight, which the next
         * run (on any replica) does again.
         */
        @WithDefault("200")
        int batchSize();

        /** Pause between two batches, to keep the database responsive for requests during a large rotation. */
        @WithDefault("PT0S")
        Duration pauseBetweenBatches();
    }

    interface Pkcs12 {
        /**
         * PBKDF2-HMAC-SHA256 iterations of the {@code modern} export profile, for the key and certificate bags and
         * the SHA-256 MAC (a MAC with fewer iterations would be the cheaper way to guess the password). OWASP
         * recommends 600000 for PBKDF2-HMAC-SHA256.
         */
        @WithDefault("600000")
        int modernIterations();

        /**
         * PKCS#12 key-derivation iterations of the {@code legacy} profile (PBE-SHA1-3DES, SHA-1 MAC), which macOS
         * Keychain, older iOS, Android and Windows read.
         */
        @WithDefault("100000")
        int legacyIterations();

        /** Export passwords shorter than this are refused; the password protects the key wherever the file goes. */
        @WithDefault("12")
        int minimumPasswordLength();

        /** Largest PKCS#12 file accepted for import, in bytes; a key, a certificate and a chain fit many times. */
        @WithDefault("262144")
        int maximumImportBytes();
    }
}
