package dev.smimepki.ca.authority;

import java.security.GeneralSecurityException;
import java.util.List;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;

/** The RFC 5280 path rules a CA chain must keep: name and signature links, and basicConstraints path lengths. */
final class CertificationPaths {

    private CertificationPaths() {
    }

    /** Whether {@code parent} issued {@code child}: the issuer name matches and the signature verifies. */
    static boolean issued(Certificate parent, Certificate child) {
        if (!child.x509().getIssuerX500Principal().equals(parent.x509().getSubjectX500Principal())) {
            return false;
        }
        try {
            child.x509().verify(parent.publicKey(), BouncyCastle.provider());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** A self-signed certificate: its own issuer, signed with its own key. */
    static boolean selfSigned(Certificate certificate) {
        return issued(certificate, certificate);
    }

    /**
     * How many more CA certificates may follow below the first certificate of {@code chain} (this CA first, root
     * last): at least 1 if it may certify CAs, 0 if only end entities, negative if the chain itself breaks a
     * pathLenConstraint or holds a non-CA. RFC 5280 section 4.2.1.9: a CA's pathLen bounds the CA certificates
     * that may follow it in a path, so the one at distance i above this CA has already used i of them. Self-issued
     * intermediates, which the RFC does not count, are counted here: this service never makes them, and counting
     * them can only make the rule stricter.
     */
    static long pathLengthRoom(List<Certificate> chain) {
        long room = Long.MAX_VALUE;
        for (int i = 0; i < chain.size(); i++) {
            // -1 when not a CA, Integer.MAX_VALUE without a pathLenConstraint (X509Certificate#getBasicConstraints)
            int pathLength = chain.get(i).x509().getBasicConstraints();
            if (pathLength < 0) {
                return -1;
            }
            if (pathLength != Integer.MAX_VALUE) {
                room = Math.min(room, (long) pathLength - i);
            }
        }
        return room;
    }

    /** Whether the first CA of the chain may sign other CA certificates. */
    static boolean mayCertifyCas(CertificateChain chain) {
        return pathLengthRoom(chain.certificates()) >= 1;
    }
}
