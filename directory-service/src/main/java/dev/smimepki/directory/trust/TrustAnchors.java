package dev.smimepki.directory.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.directory.DirectoryConfig;
import dev.smimepki.directory.store.ParsedCertificates;
import dev.smimepki.runtime.tx.AfterCommit;

/**
 * The CA certificates the directory trusts (configured files, roots ca-service publishes, admin uploads) and the
 * intermediates it has seen, which let a harvested certificate without its chain still reach an anchor.
 */
@ApplicationScoped
@Startup
public class TrustAnchors {
    private static final Logger LOG = Logger.getLogger(TrustAnchors.class);

    private final List<Certificate> configured;
    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    /** Parsing every CA on every verification was a fifth of directory-service's CPU. */
    private final ParsedCertificates parsed;
    /** Fingerprints of CA certificates known committed; rows are never deleted, an anchor never demoted. */
    private final Set<String> committedCas = ConcurrentHashMap.newKeySet();
    private final Set<String> committedAnchors = ConcurrentHashMap.newKeySet();

    TrustAnchors(DirectoryConfig config, EntityManager entityManager, TransactionSynchronizationRegistry transactions,
            ParsedCertificates parsed) {
        this.entityManager = entityManager;
        this.parsed = parsed;
        this.transactions = transactions;
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
        all.addAll(learnt(true));
        return all;
    }

    /** Known CA certificates that are not anchors: path candidates only. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Certificate> intermediates() {
        return learnt(false);
    }

    private List<Certificate> learnt(boolean anchor) {
        List<String> fingerprints = entityManager.createQuery(
                "select c.fingerprintSha256 from CaCertificate c where c.anchor = ?1", String.class)
                .setParameter(1, anchor).getResultList();
        List<Certificate> certificates = new ArrayList<>(fingerprints.size());
        for (String fingerprint : fingerprints) {
            certificates.add(parsed.of(fingerprint, () -> CaCertificate.<CaCertificate>findById(fingerprint).der));
        }
        return certificates;
    }

    /**
     * Whether the CA certificate is already known, and as an anchor when {@code asAnchor}. A column read, not a load:
     * a loaded row would stay in the persistence context and hide a change committed before the caller's lock.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean knows(Certificate ca, boolean asAnchor) {
        String fingerprint = ca.fingerprintSha256();
        if ((asAnchor ? committedAnchors : committedCas).contains(fingerprint)) {
            return true;
        }
        List<Boolean> anchor = entityManager.createQuery(
                "select c.anchor from CaCertificate c where c.fingerprintSha256 = ?1", Boolean.class)
                .setParameter(1, fingerprint).getResultList();
        if (anchor.isEmpty()) {
            return false;
        }
        boolean isAnchor = anchor.get(0);
        // remembered once this transaction commits: the row read may be one it wrote and may yet roll back
        AfterCommit.run(transactions, () -> {
            committedCas.add(fingerprint);
            if (isAnchor) {
                committedAnchors.add(fingerprint);
            }
        });
        return isAnchor || !asAnchor;
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
