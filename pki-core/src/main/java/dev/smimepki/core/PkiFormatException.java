package dev.smimepki.core;

/** Input that cannot be parsed (bad PEM, DER, address, enum name): a client error, HTTP 400. */
public final class PkiFormatException extends PkiException {
    public static final String CODE = "malformed-input";
    private static final long serialVersionUID = 1L;

    public PkiFormatException(String publicMessage) {
        super(publicMessage, null);
    }

    public PkiFormatException(String publicMessage, Throwable cause) {
        super(publicMessage, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
