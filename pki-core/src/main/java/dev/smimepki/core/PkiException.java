package dev.smimepki.core;

/**
 * A domain error with a stable code and a public message; the cause is for the log only, never for the client.
 */
public abstract class PkiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected PkiException(String publicMessage, Throwable cause) {
        super(publicMessage, cause);
    }

    /** Stable, machine-readable error code, e.g. for the {@code code} member of a problem+json body. */
    public abstract String code();
}
