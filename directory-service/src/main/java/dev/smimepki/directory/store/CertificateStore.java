package dev.smimepki.directory.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.directory.profile.RecipientFacts;
import dev.smimepki.directory.store.DirectoryCertificate.Source;
import dev.smimepki.directory.store.DirectoryCertificate.Trust;
import dev.smimepki.directory.trust.ChainVerifier;
import dev.smimepki.directory.trust.TrustAnchors;
import dev.smimepki.directory.trust.Verification;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.runtime.inbox.MalformedEventException;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;
import dev.smimepki.runtime.tx.AfterCommit;
import dev.smimepki.runtime.tx.DatabaseFailures;

/**
 * Keeps the directory's certificates in step with what the CA issued and revoked, what signed mail showed and what
 * people uploaded. Every write is idempotent per fingerprint, so a replayed event changes nothing.
 * <p>
 * The consumers of the two topics, uploads and other instances write concurrently, so writes are serialised where
 * they meet (PostgreSQL advisory locks held to the end of the transaction): per fingerprint, so that a sighting, an
 * issuance and a revocation of one certificate never overwrite each other or miss each other's new row; and between
 * learning a trust anchor and verifying a chain, so that no certificate is left unverified by an anchor learnt while
 * it was being stored.
 */
@ApplicationScoped
public class CertificateStore {
    private static final Logger LOG = Logger.getLogger(CertificateStore.class);
    private static final String ISSUED_HERE = "issued by this platform's CA";
    /** Advisory lock (one 64-bit key) taken shared by verifications, exclusive by changes to the anchors. */
    private static final long TRUST_ANCHORS_LOCK = 0x706b692d74727374L;
    /** First key of the per-fingerprint advisory locks (two 32-bit keys, a key space apart from the 64-bit one). */
    private static final int CERTIFICATE_LOCKS = 0x706b6963;
    /** Every column of {@link DirectoryCertificate}, its addresses as an array, for the mailbox of parameter 1. */
    private static final String MAILBOX_QUERY = """
            select c.fingerprint_sha256, c.serial, c.issuer, c.subject, c.not_before, c.not_after, c.source, c.trust,
                   c.der, c.chain_pem, c.revoked_at, c.revocation_reason, c.first_seen, c.last_seen, c.times_harvested,
                   c.trust_detail, c.smime_capabilities, c.facts_version, c.key_usage, c.emails, c.key_description,
                   c.common_name, c.unusable_because,
                   array(select a.address from directory_mailbox a
                         where a.fingerprint_sha256 = c.fingerprint_sha256 order by a.address) as addresses
            from directory_mailbox m join directory_certificate c on c.fingerprint_sha256 = m.fingerprint_sha256
            where m.address = ?""";

    private final TrustAnchors trustAnchors;
    private final ChainVerifier verifier;
    private final EntityManager entityManager;
    private final MailboxCache cache;
    private final TransactionSynchronizationRegistry transactions;
    private final ParsedCertificates parsed;
    private final AgroalDataSource dataSource;

    CertificateStore(TrustAnchors trustAnchors, ChainVerifier verifier, EntityManager entityManager,
            MailboxCache cache, TransactionSynchronizationRegistry transactions, ParsedCertificates parsed,
            AgroalDataSource dataSource) {
        this.parsed = parsed;
        this.dataSource = dataSource;
        this.trustAnchors = trustAnchors;
        this.verifier = verifier;
        this.entityManager = entityManager;
        this.cache = cache;
        this.transactions = transactions;
    }

    /**
     * Keeps the trust anchors as they are until this transaction ends. Call it before verifying a chain whose result
     * will be stored: an anchor learnt concurrently is then either visible to the verification or learnt after the
     * result is committed, and its re-check of unverified certificates sees it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void holdTrustAnchors() {
        entityManager.createNativeQuery("select pg_advisory_xact_lock_shared(?1)")
                .setParameter(1, TRUST_ANCHORS_LOCK).getSingleResult();
    }

    /**
     * Stores a certificate our CA issued: trusted by construction. The root of the chain it came with becomes a
     * CA-published trust anchor and the CAs below it path candidates, so that certificates of the same CA harvested
     * from mail are trusted too.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordIssued(CertificateIssued issued, Instant seenAt) {
        Certificate certificate = Certificate.fromPem(issued.certificatePem());
        if (!certificate.fingerprintSha256().equals(issued.fingerprintSha256())) {
            throw new MalformedEventException(null, "issued event fingerprint " + issued.fingerprintSha256()
                    + " does not match its certificate " + certificate.fingerprintSha256());
        }
        List<Certificate> chain = parsed.chain(issued.chainPem());
        learnCaCertificates(chain, TrustAnchors.Origin.CA_PUBLISHED, seenAt, false);
        DirectoryCertificate stored = upsert(certificate, Source.issued, seenAt);
        stored.trust = Trust.trusted;
        stored.trustDetail = ISSUED_HERE;
        stored.chainPem = issued.chainPem() == null ? "" : issued.chainPem();
        stored.persist();
    }

    /**
     * Stores a certificate seen in a verified signature, already checked by the caller: counts the sighting and
     * keeps the newest SMIMECapabilities the owner announced. The message's chain only helps build a path: a root
     * that anyone can put in a message never becomes an anchor.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public DirectoryCertificate recordHarvested(Certificate certificate, List<Certificate> chain, Instant seenAt,
            Verification verification, List<String> smimeCapabilities) {
        DirectoryCertificate stored = upsert(certificate, Source.harvested, seenAt);
        boolean newest = stored.lastSeen.equals(seenAt);
        stored.timesHarvested++;
        applyTrust(stored, verification);
        if (stored.chainPem == null || stored.chainPem.isEmpty()) {
            stored.chainPem = new CertificateChain(chain).pem();
        }
        if (smimeCapabilities != null && (newest || stored.smimeCapabilities == null)) {
            stored.smimeCapabilities = String.join(",", smimeCapabilities);
        }
        stored.persist();
        return stored;
    }

    /** Stores an uploaded end-entity certificate that passed the upload checks. */
    @Transactional(Transactional.TxType.MANDATORY)
    public DirectoryCertificate recordUploaded(Certificate certificate, List<Certificate> chain,
            Verification verification, Instant now) {
        DirectoryCertificate stored = upsert(certificate, Source.uploaded, now);
        applyTrust(stored, verification);
        if (stored.chainPem == null || stored.chainPem.isEmpty()) {
            stored.chainPem = new CertificateChain(chain).pem();
        }
        stored.persist();
        return stored;
    }

    /**
     * Learns CA certificates (a published chain, or an upload): the self-issued root of a published chain becomes
     * an anchor, as does every CA certificate an admin uploads ({@code asAnchors}); the rest are path candidates.
     * Unverified certificates issued by a newly known CA are checked again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void learnCaCertificates(List<Certificate> cas, TrustAnchors.Origin origin, Instant seenAt,
            boolean asAnchors) {
        if (!wouldLearn(cas, asAnchors)) {
            return; // the usual case, an issued event with a chain known long ago: no lock taken
        }
        entityManager.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, TRUST_ANCHORS_LOCK)
                .getSingleResult();
        Set<String> newSubjects = new LinkedHashSet<>();
        for (int i = 0; i < cas.size(); i++) {
            Certificate ca = cas.get(i);
            if (!ca.isCa()) {
                continue;
            }
            boolean learnt = asAnchor(cas, i, asAnchors)
                    ? trustAnchors.recordAnchor(ca, origin, seenAt)
                    : trustAnchors.recordIntermediate(ca, origin, seenAt);
            if (learnt) {
                newSubjects.add(ca.subject());
            }
        }
        if (!newSubjects.isEmpty()) {
            reverifyIssuedBy(newSubjects);
        }
    }

    /** Whether some CA certificate of the list is new, or new as an anchor (read without the lock). */
    private boolean wouldLearn(List<Certificate> cas, boolean asAnchors) {
        for (int i = 0; i < cas.size(); i++) {
            if (cas.get(i).isCa() && !trustAnchors.knows(cas.get(i), asAnchor(cas, i, asAnchors))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the i-th certificate of a chain becomes an anchor: a published chain's self-issued root, or any. */
    private static boolean asAnchor(List<Certificate> cas, int i, boolean asAnchors) {
        return asAnchors || i == cas.size() - 1 && cas.get(i).isSelfIssued();
    }

    /** Marks a certificate revoked; a replayed revocation changes nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordRevoked(CertificateRevoked revoked) {
        DirectoryCertificate stored = lockAndFind(revoked.fingerprintSha256());
        if (stored == null) {
            LOG.infof("revocation of unknown certificate %s kept until it arrives", revoked.fingerprintSha256());
            if (PendingRevocation.findById(revoked.fingerprintSha256()) == null) {
                PendingRevocation pending = new PendingRevocation();
                pending.fingerprintSha256 = revoked.fingerprintSha256();
                pending.revokedAt = revoked.revokedAt();
                pending.reason = revoked.reason();
                pending.persist();
            }
            return;
        }
        if (stored.revokedAt == null) {
            stored.revokedAt = revoked.revokedAt();
            stored.revocationReason = revoked.reason();
            changed(stored);
        }
    }

    /**
     * Every certificate for the mailbox, matched per RFC 8550: from the look-up cache, else read in a transaction of
     * its own (the mailbox index). The certificates are shared between look-ups: read them, never change them.
     */
    public List<DirectoryCertificate> forAddress(String address) {
        return forAddress(EmailAddress.parse(address));
    }

    /**
     * The certificates of a mailbox, as committed: from the look-up cache, else read by one statement outside any
     * transaction of the caller (so that nothing uncommitted is ever cached). Look-ups are the directory's hot path,
     * so this reads with plain JDBC rather than through the ORM: one round trip, rows that are never managed.
     */
    public List<DirectoryCertificate> forAddress(EmailAddress address) {
        String mailbox = address.toString();
        return cache.forMailbox(mailbox, () -> outsideAnyTransaction(() -> read(mailbox)));
    }

    /**
     * Runs a read with the caller's transaction, if any, suspended; a failure as the read threw it (a 503 problem
     * stays one), not wrapped in Narayana's {@link QuarkusTransactionException}.
     */
    private static <T> T outsideAnyTransaction(Supplier<T> read) {
        try {
            return QuarkusTransaction.suspendingExisting().call(read::get);
        } catch (QuarkusTransactionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private List<DirectoryCertificate> read(String mailbox) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(MAILBOX_QUERY)) {
            select.setString(1, mailbox);
            List<DirectoryCertificate> found = new ArrayList<>(1);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(row(rows));
                }
            }
            return found;
        } catch (SQLException e) {
            if (DatabaseFailures.unavailable(e)) {
                throw new ProblemException(Kind.DEPENDENCY_UNAVAILABLE, "database-unavailable",
                        "the database is unavailable; retry shortly", List.of(), e);
            }
            throw new IllegalStateException(
                    "reading the certificates of a mailbox failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static DirectoryCertificate row(ResultSet rows) throws SQLException {
        DirectoryCertificate stored = new DirectoryCertificate();
        stored.fingerprintSha256 = rows.getString("fingerprint_sha256");
        stored.serial = rows.getString("serial");
        stored.issuer = rows.getString("issuer");
        stored.subject = rows.getString("subject");
        stored.notBefore = instant(rows, "not_before");
        stored.notAfter = instant(rows, "not_after");
        stored.source = Source.valueOf(rows.getString("source"));
        stored.trust = Trust.valueOf(rows.getString("trust"));
        stored.der = rows.getBytes("der");
        stored.chainPem = rows.getString("chain_pem");
        stored.revokedAt = instant(rows, "revoked_at");
        stored.revocationReason = rows.getString("revocation_reason");
        stored.firstSeen = instant(rows, "first_seen");
        stored.lastSeen = instant(rows, "last_seen");
        stored.timesHarvested = rows.getInt("times_harvested");
        stored.trustDetail = rows.getString("trust_detail");
        stored.smimeCapabilities = rows.getString("smime_capabilities");
        int factsVersion = rows.getInt("facts_version");
        stored.factsVersion = rows.wasNull() ? null : factsVersion;
        stored.keyUsage = strings(rows, "key_usage");
        stored.emails = strings(rows, "emails");
        stored.keyDescription = rows.getString("key_description");
        stored.commonName = rows.getString("common_name");
        stored.unusableBecause = strings(rows, "unusable_because");
        stored.addresses.addAll(Arrays.asList(strings(rows, "addresses")));
        return stored;
    }

    private static String[] strings(ResultSet rows, String column) throws SQLException {
        Array array = rows.getArray(column);
        return array == null ? null : (String[]) array.getArray();
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private DirectoryCertificate upsert(Certificate certificate, Source source, Instant seenAt) {
        DirectoryCertificate known = lockAndFind(certificate.fingerprintSha256());
        if (known != null) {
            if (source.authority() > known.source.authority()) {
                known.source = source;
            }
            if (seenAt.isBefore(known.firstSeen)) {
                known.firstSeen = seenAt;
            }
            if (seenAt.isAfter(known.lastSeen)) {
                known.lastSeen = seenAt;
            }
            if (known.facts().isEmpty()) {
                known.facts(RecipientFacts.of(certificate));
            }
            changed(known);
            return known;
        }
        DirectoryCertificate stored = new DirectoryCertificate();
        stored.fingerprintSha256 = certificate.fingerprintSha256();
        stored.serial = certificate.serialHex();
        stored.issuer = certificate.issuer();
        stored.subject = certificate.subject();
        stored.notBefore = certificate.notBefore();
        stored.notAfter = certificate.notAfter();
        stored.source = source;
        stored.trust = Trust.unverified;
        stored.der = certificate.der();
        stored.chainPem = "";
        stored.firstSeen = seenAt;
        stored.lastSeen = seenAt;
        stored.facts(RecipientFacts.of(certificate));
        certificate.emails().forEach(email -> EmailAddress.tryParse(email)
                .ifPresent(mailbox -> stored.addresses.add(mailbox.toString())));
        // the revocation may have come first: the topics are not ordered with respect to each other
        PendingRevocation pending = PendingRevocation.findById(stored.fingerprintSha256);
        if (pending != null) {
            stored.revokedAt = pending.revokedAt;
            stored.revocationReason = pending.reason;
            pending.delete();
        }
        changed(stored);
        return stored;
    }

    /** Trusted is kept once reached: a later sighting without the chain does not demote a certificate. */
    private static void applyTrust(DirectoryCertificate stored, Verification verification) {
        if (stored.trust != Trust.trusted || verification.trusted()) {
            stored.trust = verification.trust();
            stored.trustDetail = verification.detail();
        }
    }

    /**
     * Waits for any other transaction writing the certificate, then reads it. An advisory lock on its fingerprint
     * rather than a row lock, since the row may not exist yet; read after the lock, so the read sees what the other
     * writer committed.
     */
    private DirectoryCertificate lockAndFind(String fingerprintSha256) {
        entityManager.createNativeQuery("select pg_advisory_xact_lock(?1, ?2)").setParameter(1, CERTIFICATE_LOCKS)
                .setParameter(2, fingerprintSha256.hashCode()).getSingleResult();
        return DirectoryCertificate.findById(fingerprintSha256);
    }

    /** Re-checks the unverified certificates of the issuers, each locked like any write, in one order. */
    private void reverifyIssuedBy(Collection<String> issuers) {
        List<String> fingerprints = entityManager.createQuery("select c.fingerprintSha256 from DirectoryCertificate c"
                + " where c.trust = ?1 and c.issuer in ?2 order by c.fingerprintSha256", String.class)
                .setParameter(1, Trust.unverified).setParameter(2, issuers).getResultList();
        List<DirectoryCertificate> unverified = new ArrayList<>();
        for (String fingerprint : fingerprints) {
            DirectoryCertificate stored = lockAndFind(fingerprint);
            if (stored != null && stored.trust == Trust.unverified) {
                unverified.add(stored);
            }
        }
        Instant now = Instant.now();
        for (DirectoryCertificate stored : unverified) {
            Verification verification = verifier.verify(parsed.of(stored.fingerprintSha256, () -> stored.der),
                    parsed.chain(stored.chainPem), now);
            if (verification.trusted()) {
                stored.trust = verification.trust();
                stored.trustDetail = verification.detail();
                changed(stored);
            }
        }
    }

    /**
     * Makes this instance's look-up cache forget the certificate's mailboxes when the transaction commits, before
     * the commit returns: a client then reads its own write here at once (other instances hear PostgreSQL's
     * notification a moment later).
     */
    private void changed(DirectoryCertificate stored) {
        @SuppressWarnings("unchecked")
        Set<String> mailboxes = (Set<String>) transactions.getResource(MailboxCache.class);
        if (mailboxes == null) {
            Set<String> registered = new HashSet<>();
            transactions.putResource(MailboxCache.class, registered);
            AfterCommit.run(transactions, () -> cache.forget(registered));
            mailboxes = registered;
        }
        mailboxes.addAll(stored.addresses);
    }

}
