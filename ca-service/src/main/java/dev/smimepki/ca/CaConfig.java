package dev.smimepki.ca;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The settings of ca-service; the key-encryption key comes only from the environment or a Kubernetes Secret. */
@ConfigMapping(prefix = "pki.ca")
public interface CaConfig {

    /**
     * The URL under which clients reach this service, without a trailing slash. Every issued certificate points
     * there: CRL distribution point {@code /crl/{caId}}, OCSP {@code /ocsp/{caId}} and caIssuers
     * {@code /api/v1/cas/{caId}/certificate}. Changing it does not change certificates already issued.
     */
    @WithDefault("http://localhost:8081")
    String publicBaseUrl();

    /**
     * Base64 of the 32-byte AES-256 key that encrypts every CA private key at rest (AES-256-GCM, the CA id as
     * associated data). Set it with the environment variable {@code PKI_CA_KEY_ENCRYPTION_KEY}; never in a file of
     * the repository. Without it the service does not start.
     */
    String keyEncryptionKey();

    /** Certificate issuance limits. */
    Issuance issuance();

    /** Certificate revocation list publication. */
    Crl crl();

    /** OCSP responses. */
    Ocsp ocsp();

    /** Importing existing CAs from PKCS#12 ({@code POST /api/v1/cas/import}). */
    @WithName("import")
    Import caImport();

    interface Issuance {
        /** Validity of a certificate when the request names none. */
        @WithDefault("365")
        int defaultValidityDays();
    }

    interface Crl {
        /**
         * How long a CRL is valid: nextUpdate = thisUpdate + this. The CRL is re-signed on every revocation and by a
         * scheduled job before it gets {@link #reissueAfter()} old, so relying parties always hold a current one.
         */
        @WithDefault("P7D")
        Duration validity();

        /** Age at which the scheduled job re-signs a CRL that no revocation has refreshed. */
        @WithDefault("P6D")
        Duration reissueAfter();

        /** How often the scheduled job looks for CRLs due for re-signing. */
        @WithDefault("1h")
        String checkEvery();
    }

    interface Ocsp {
        /**
         * How long a client may cache an OCSP response: nextUpdate = thisUpdate + this. Responses are signed per
         * request from the database, so a revocation shows in the next response at once.
         */
        @WithDefault("PT1H")
        Duration validity();
    }

    interface Import {
        /**
         * The largest PKCS#12 upload accepted, in bytes; a larger one is refused with 413 before it is parsed. A CA
         * key with its certificate chain takes a few kilobytes.
         */
        @WithDefault("1048576")
        int maxPkcs12Bytes();
    }
}
