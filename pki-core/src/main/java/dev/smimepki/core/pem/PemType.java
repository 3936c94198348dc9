package dev.smimepki.core.pem;

import java.util.List;
import java.util.Optional;

/** The PEM labels the platform reads and writes (RFC 7468), with the legacy aliases still seen in the wild. */
public enum PemType {
    CERTIFICATE("CERTIFICATE"),
    /** PKCS#10; Netscape and old Windows tools wrote {@code NEW CERTIFICATE REQUEST}. */
    CERTIFICATE_REQUEST("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"),
    /** PKCS#8 PrivateKeyInfo, unencrypted. */
    PRIVATE_KEY("PRIVATE KEY"),
    /** SubjectPublicKeyInfo. */
    PUBLIC_KEY("PUBLIC KEY"),
    X509_CRL("X509 CRL");

    private final String label;
    private final List<String> aliases;

    PemType(String label, String... aliases) {
        this.label = label;
        this.aliases = List.of(aliases);
    }

    /** The label written after {@code BEGIN}. */
    public String label() {
        return label;
    }

    /** Whether a block with this label holds this type (the label itself or a legacy alias). */
    public boolean accepts(String label) {
        return this.label.equals(label) || aliases.contains(label);
    }

    public static Optional<PemType> ofLabel(String label) {
        for (PemType type : values()) {
            if (type.accepts(label)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
