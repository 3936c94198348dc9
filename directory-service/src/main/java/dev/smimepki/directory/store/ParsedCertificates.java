package dev.smimepki.directory.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.AlgorithmPolicy;

/**
 * Certificates the directory parsed, by fingerprint, so that a chain verification or a harvest does not parse the
 * same DER again (a CA's chain comes with every certificate it issues). A fingerprint is the hash of the DER, so an
 * entry never goes stale; the most recently used are kept. Look-ups answer from stored facts and parse only a row
 * without them.
 */
@ApplicationScoped
public class ParsedCertificates {
    private static final Logger LOG = Logger.getLogger(ParsedCertificates.class);
    /** How many are kept: a few KB each, in a 256 MB heap. */
    private static final int KEPT = 2_000;

    private final Map<String, Certificate> parsed = Collections
            .synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Certificate> eldest) {
                    return size() > KEPT;
                }
            });

    /** The certificate with this fingerprint, parsed from {@code der} (read only when it is not kept). */
    public Certificate of(String fingerprintSha256, Supplier<byte[]> der) {
        Certificate certificate = parsed.get(fingerprintSha256);
        if (certificate == null) {
            certificate = Certificate.of(der.get());
            parsed.put(fingerprintSha256, certificate);
        }
        return certificate;
    }

    /** The certificate of one PEM block, parsed once: a signer's certificate comes with every message it signs. */
    public Certificate fromPem(String pem) {
        byte[] der = Pem.decodeOne(pem, PemType.CERTIFICATE);
        return of(fingerprintOf(der), () -> der);
    }

    /**
     * The certificates of a PEM chain, each parsed once: a CA's chain comes with every certificate it issues and
     * every message its holders sign. None when the chain is empty or unreadable (a chain only helps).
     */
    public List<Certificate> chain(String chainPem) {
        if (chainPem == null || chainPem.isBlank()) {
            return List.of();
        }
        try {
            List<Certificate> chain = new ArrayList<>();
            for (byte[] der : Pem.decodeAll(chainPem, PemType.CERTIFICATE)) {
                chain.add(of(fingerprintOf(der), () -> der));
            }
            return chain;
        } catch (PkiFormatException e) {
            LOG.debugf("ignoring an unreadable chain: %s", e.getMessage());
            return List.of();
        }
    }

    private static String fingerprintOf(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(AlgorithmPolicy.FINGERPRINT_DIGEST).digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no " + AlgorithmPolicy.FINGERPRINT_DIGEST + " in this JDK", e);
        }
    }
}
