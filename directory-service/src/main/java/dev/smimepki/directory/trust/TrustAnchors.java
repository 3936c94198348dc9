package dev.smimepki.directory.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.directory.DirectoryConfig;

/**
 * The CA certificates the directory trusts (configured files, roots ca-service publishes, admin uploads) and the
 * intermediates it has seen, which let a harvested certificate without its chain still reach an anchor.
 */
@ApplicationScoped
@Startup
public class TrustAnchors {
    private static final Logger LOG = Logger.getLogger(TrustAnchors.class);

    private final List<Certificate> configured;

    TrustAnchors(DirectoryConfig config) {
        List<Certificate> loaded = new ArrayList<>();
        for (Path file : config.trustAnchorFiles().orElse(List.of())) {
            try {
                loaded.addAll(CertificateChain.fromPem(Files.readString(file, StandardCharsets.ISO_8859_1))
                        .certificates());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read trust anchor file " + file, e);
            }
        }
        this.configured = List.copyOf(loaded);
        LOG.infof("%d configured trust anchor(s)", configured.size());
    }

    /** Every anchor: configured ones first, then those learnt from ca-service and admins. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Certificate> anchors() {
        List<Certificate> all = new ArrayList<>(configured);
        CaCertificate.<CaCertificate>list("anchor", true).forEach(ca -> all.add(Certificate.of(ca.der)));
        return all;
    }

    /** Known CA certificates that are not anchors: path candidates only. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Certificate> intermediates() {
        return CaCertificate.<CaCertificate>list("anchor", false).stream().map(ca -> Certificate.of(ca.der))
                .toList();
    }

    /**
     * Whether the CA certificate is already known, and as an anchor when {@code asAnchor}. A count, not a load: a
     * loaded row would stay in the persistence context and hide a change committed before the caller's lock.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean knows(Certificate ca, boolean asAnchor) {
        return CaCertificate.count("fingerprintSha256 = ?1 and anchor in ?2", ca.fingerprintSha256(),
                asAnchor ? List.of(true) : List.of(true, false)) > 0;
    }

    /**
     * Records a CA certificate as a trust anchor, or promotes a known intermediate to one.
     *
     * @return whether the directory trusts something it did not trust before
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordAnchor(Certificate ca, Origin origin, Instant seenAt) {
        CaCertificate known = CaCertificate.findById(ca.fingerprintSha256());
        if (known != null) {
            if (known.anchor) {
                return false;
            }
            known.anchor = true;
            known.origin = origin.value;
            return true;
        }
        persist(ca, true, origin, seenAt);
        return true;
    }

    /** Records a CA certificate as a path candidate; returns whether it was new. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordIntermediate(Certificate ca, Origin origin, Instant seenAt) {
        if (CaCertificate.findById(ca.fingerprintSha256()) != null) {
            return false;
        }
        persist(ca, false, origin, seenAt);
        return true;
    }

    /** How the directory learnt a CA certificate; the value is what the database stores. */
    public enum Origin {
        /** The root of a chain ca-service published with an issued certificate. */
        CA_PUBLISHED("ca-published"),
        /** Uploaded; as an anchor only by a pki-admin. */
        UPLOADED("uploaded");

        private final String value;

        Origin(String value) {
            this.value = value;
        }
    }

    private static void persist(Certificate ca, boolean anchor, Origin origin, Instant seenAt) {
        CaCertificate stored = new CaCertificate();
        stored.fingerprintSha256 = ca.fingerprintSha256();
        stored.subject = ca.subject();
        stored.der = ca.der();
        stored.anchor = anchor;
        stored.origin = origin.value;
        stored.firstSeen = seenAt;
        stored.persist();
    }
}
