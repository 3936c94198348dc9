package dev.smimepki.keystore.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.jboss.logging.Logger;

import io.quarkus.panache.common.Parameters;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.keystore.audit.KeyAction;
import dev.smimepki.keystore.sealing.EnvelopeEncryption;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * The one place that stores, finds and opens private keys. A private key is in clear only inside
 * {@link #withPrivateKey}, and its bytes are cleared when that returns.
 */
@ApplicationScoped
public class KeyVault {
    private static final Logger LOG = Logger.getLogger(KeyVault.class);

    private final EnvelopeEncryption envelope;
    private final AuditLog audit;

    KeyVault(EnvelopeEncryption envelope, AuditLog audit) {
        this.envelope = envelope;
        this.audit = audit;
    }

    /** Generates a key pair for these mailboxes and stores it; committed when this returns. */
    @Transactional
    public StoredKey generate(KeyAlgorithm algorithm, Collection<EmailAddress> emails, String actor) {
        KeyPair keyPair = KeyPairs.generate(algorithm);
        StoredKey key = store(keyPair.getPrivate().getEncoded(), keyPair.getPublic(), algorithm,
                StoredKey.Origin.generated, emails);
        audit.append(actor, KeyAction.KEY_GENERATED, key.id.toString(), algorithm.name());
        return key;
    }

    /**
     * Seals and stores a private key; the caller has checked that it belongs to {@code publicKey}. 409 when the key
     * is stored already.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public StoredKey store(byte[] pkcs8, PublicKey publicKey, KeyAlgorithm algorithm, StoredKey.Origin origin,
            Collection<EmailAddress> emails) {
        byte[] spki = normalisedSpki(publicKey.getEncoded());
        String spkiHash = sha256(spki);
        if (StoredKey.count("publicKeySha256", spkiHash) > 0) {
            throw new ProblemException(Kind.CONFLICT, "key-exists", "this key is stored already");
        }
        StoredKey key = new StoredKey();
        key.id = UUID.randomUUID();
        key.keyAlgorithm = algorithm;
        key.publicKeyDer = spki;
        key.publicKeySha256 = spkiHash;
        key.origin = origin;
        key.createdAt = Instant.now();
        key.seal(envelope.seal(key.id, algorithm, pkcs8));
        emails.forEach(email -> key.emails.add(email.toString()));
        key.persist();
        return key;
    }

    /** The key; 404 {@code unknown-key} when there is none. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public StoredKey require(UUID keyId) {
        StoredKey key = StoredKey.findById(keyId);
        if (key == null) {
            throw new ProblemException(Kind.NOT_FOUND, "unknown-key", "no key with this id");
        }
        return key;
    }

    /** Runs {@code operation} on the key's PKCS#8 PrivateKeyInfo; the clear bytes are wiped afterwards. */
    public <T> T withPrivateKey(StoredKey key, Function<PrivateKeyInfo, T> operation) {
        byte[] pkcs8 = envelope.open(key.id, key.keyAlgorithm, key.sealed());
        try {
            return operation.apply(PrivateKeyInfo.getInstance(pkcs8));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** The stored key a public key belongs to. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<StoredKey> findByPublicKey(PublicKey publicKey) {
        return StoredKey.find("publicKeySha256", sha256(normalisedSpki(publicKey.getEncoded()))).firstResultOptional();
    }

    /**
     * Attaches a certificate and its chain to its key, and adds its mailboxes to the key's; a certificate bound
     * already is left as it is.
     *
     * @return whether the certificate was new for this key
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean bind(StoredKey key, Certificate certificate, CertificateChain chain) {
        if (KeyCertificate.findById(certificate.fingerprintSha256()) != null) {
            return false;
        }
        KeyCertificate bound = new KeyCertificate();
        bound.fingerprintSha256 = certificate.fingerprintSha256();
        bound.keyId = key.id;
        bound.serial = certificate.serialHex();
        bound.issuerDer = encodedIssuer(certificate);
        bound.subjectKeyIdentifier = certificate.subjectKeyIdentifier().orElse(null);
        bound.certificateDer = certificate.der();
        bound.chainPem = chain.pem();
        bound.notBefore = certificate.notBefore();
        bound.notAfter = certificate.notAfter();
        bound.digitalSignature = !certificate.hasKeyUsageExtension()
                || certificate.keyUsages().contains(KeyUsage.DIGITAL_SIGNATURE);
        bound.boundAt = Instant.now();
        bound.persist();
        certificate.emails().forEach(email -> EmailAddress.tryParse(email)
                .ifPresent(address -> key.emails.add(address.toString())));
        return true;
    }

    /**
     * Marks a bound certificate revoked; unknown certificates (issued from a CSR, the key elsewhere) and repeated
     * revocations change nothing.
     *
     * @return the key whose certificate was revoked now
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<UUID> revoke(String fingerprintSha256, Instant revokedAt, String reason) {
        KeyCertificate bound = KeyCertificate.findById(fingerprintSha256);
        if (bound == null || bound.revokedAt != null) {
            return Optional.empty();
        }
        bound.revokedAt = revokedAt;
        bound.revocationReason = reason;
        return Optional.of(bound.keyId);
    }

    /** The certificates of a key, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<KeyCertificate> certificates(UUID keyId) {
        return KeyCertificate.list("keyId = ?1 order by notBefore desc, boundAt desc", keyId);
    }

    /**
     * The newest key of the mailbox with a certificate that is bound, not revoked, valid now and allows
     * digitalSignature; that certificate.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<KeyCertificate> signingCertificate(EmailAddress mailbox) {
        return KeyCertificate.find("select c from KeyCertificate c, StoredKey k join k.emails e"
                + " where c.keyId = k.id and e = :email and c.revokedAt is null and c.digitalSignature = true"
                + " and c.notBefore <= :now and c.notAfter >= :now order by k.createdAt desc, c.notBefore desc",
                Parameters.with("email", mailbox.toString()).and("now", Instant.now())).firstResultOptional();
    }

    /** The bound certificate with this issuer and serial number (RFC 5652 IssuerAndSerialNumber). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<KeyCertificate> findByIssuerAndSerial(X500Name issuer, String serialHex) {
        List<KeyCertificate> candidates = KeyCertificate.list("serial = ?1 order by notBefore desc", serialHex);
        return candidates.stream().filter(c -> issuer.equals(X500Name.getInstance(c.issuerDer))).findFirst();
    }

    /** The newest bound certificate with this subject key identifier. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<KeyCertificate> findBySubjectKeyIdentifier(byte[] subjectKeyIdentifier) {
        return KeyCertificate.find("subjectKeyIdentifier = ?1 order by notBefore desc", subjectKeyIdentifier)
                .firstResultOptional();
    }

    /**
     * The key, its row locked until commit, so that discarding it and binding a certificate to it take turns: binding
     * inserts a row referencing the key, which waits for this lock. The lock is taken with plain SQL, as in
     * ca-service: Hibernate's follow-on locking of the eager mailbox collection fails under contention.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<StoredKey> findForUpdate(UUID keyId) {
        List<?> locked = StoredKey.getEntityManager()
                .createNativeQuery("select id from stored_key where id = ?1 for update")
                .setParameter(1, keyId)
                .getResultList();
        return locked.isEmpty() ? Optional.empty() : Optional.of(StoredKey.<StoredKey>findById(keyId));
    }

    /** Whether any certificate was ever bound to the key (revoked and expired ones stay bound). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean hasCertificates(UUID keyId) {
        return KeyCertificate.count("keyId", keyId) > 0;
    }

    /**
     * Removes a key and its certificates for good; mail encrypted to it no longer opens. Only {@link KeyDeletion}
     * calls this: the explicit, audited admin action, or ca-service discarding a key it never had certified.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void delete(StoredKey key) {
        KeyCertificate.delete("keyId", key.id);
        key.delete();
    }

    /** Every key of the mailbox, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<StoredKey> history(EmailAddress mailbox) {
        return StoredKey.list("select distinct k from StoredKey k join k.emails e where e = ?1"
                + " order by k.createdAt desc, k.id", mailbox.toString());
    }

    static byte[] encodedIssuer(Certificate certificate) {
        return certificate.x509().getIssuerX500Principal().getEncoded();
    }

    private static byte[] normalisedSpki(byte[] encoded) {
        try {
            return SubjectPublicKeyInfo.getInstance(encoded).getEncoded(ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            throw new PkiFormatException("not a DER-encoded public key", e);
        }
    }

    private static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(AlgorithmPolicy.FINGERPRINT_DIGEST).digest(der));
        } catch (GeneralSecurityException e) {
            LOG.error("the fingerprint digest is missing from this JVM", e);
            throw new IllegalStateException(e);
        }
    }
}
