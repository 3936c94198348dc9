package dev.smimepki.core.cert;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;

/**
 * Certificates in order, issuer first (issuing CA, then up to the root), as carried in events and PKCS#12 files.
 * Order is as given; this type does not validate the path.
 */
public record CertificateChain(List<Certificate> certificates) {

    public CertificateChain {
        certificates = List.copyOf(certificates);
    }

    public static CertificateChain of(Certificate... certificates) {
        return new CertificateChain(List.of(certificates));
    }

    /** Parses one or more {@code CERTIFICATE} PEM blocks; any other block type is an error. */
    public static CertificateChain fromPem(String pem) {
        return new CertificateChain(Pem.decodeAll(pem, PemType.CERTIFICATE).stream().map(Certificate::of).toList());
    }

    /** The PEM blocks concatenated, empty for an empty chain. */
    public String pem() {
        StringBuilder pem = new StringBuilder();
        certificates.forEach(certificate -> pem.append(certificate.pem()));
        return pem.toString();
    }

    public List<X509Certificate> x509Certificates() {
        return certificates.stream().map(Certificate::x509).toList();
    }

    public int size() {
        return certificates.size();
    }

    public boolean isEmpty() {
        return certificates.isEmpty();
    }
}
