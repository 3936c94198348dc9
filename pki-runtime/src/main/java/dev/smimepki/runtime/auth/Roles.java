package dev.smimepki.runtime.auth;

/** The roles of API.md, as they appear in a bearer JWT's {@code groups} claim. */
public final class Roles {
    /** CA operations and revocation of any certificate. */
    public static final String ADMIN = "pki-admin";
    /** A mailbox owner: own keys and certificates; the {@code email} (or {@code upn}) claim is the mailbox. */
    public static final String USER = "pki-user";
    /** Service-to-service calls (ca-service to keystore-service, crypto-service to keystore-service). */
    public static final String SERVICE = "pki-service";

    private Roles() {
    }
}
