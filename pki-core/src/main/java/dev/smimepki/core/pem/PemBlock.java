package dev.smimepki.core.pem;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One decoded PEM block: its label as written and the DER it carries.
 *
 * @param label the label between {@code BEGIN } and the dashes, e.g. {@code CERTIFICATE}
 * @param der the decoded base64 body (a copy; arrays are mutable)
 */
public record PemBlock(String label, byte[] der) {

    public PemBlock {
        Objects.requireNonNull(label, "label");
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /** The known type of this block, empty for labels the platform does not handle (e.g. {@code PKCS7}). */
    public Optional<PemType> type() {
        return PemType.ofLabel(label);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PemBlock other && label.equals(other.label) && Arrays.equals(der, other.der);
    }

    @Override
    public int hashCode() {
        return 31 * label.hashCode() + Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "PemBlock[" + label + ", " + der.length + " bytes]";
    }
}
