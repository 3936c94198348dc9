package dev.smimepki.keystore.pkcs12;

/**
 * Export a key as PKCS#12.
 *
 * @param password protects the file; the user's own, delivered to the recipient separately; never stored or logged
 * @param profile {@code modern} (default) or {@code legacy}
 */
public record ExportRequest(String password, ExportProfile profile) {

    /** A toString without the password, should the record ever be logged. */
    @Override
    public String toString() {
        return "ExportRequest[profile=" + profile + "]";
    }
}
