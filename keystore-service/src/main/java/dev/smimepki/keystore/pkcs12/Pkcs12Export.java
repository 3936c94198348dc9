package dev.smimepki.keystore.pkcs12;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.keystore.KeystoreConfig;
import dev.smimepki.keystore.audit.KeyAction;
import dev.smimepki.keystore.keys.KeyCertificate;
import dev.smimepki.keystore.keys.KeyVault;
import dev.smimepki.keystore.keys.StoredKey;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.limits.RateLimiter;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * The one way a private key leaves the service: inside a password-protected PKCS#12 file with its certificate and
 * full chain, for the key's owner or an admin, audited.
 */
@ApplicationScoped
public class Pkcs12Export {
    private final KeyVault vault;
    private final AuditLog audit;
    private final Caller caller;
    private final KeystoreConfig config;
    private final RateLimiter rateLimiter;

    Pkcs12Export(KeyVault vault, AuditLog audit, Caller caller, KeystoreConfig config, RateLimiter rateLimiter) {
        this.vault = vault;
        this.audit = audit;
        this.caller = caller;
        this.config = config;
        this.rateLimiter = rateLimiter;
    }

    /** What an export reads from the database: the key, its certificate and chain, and the name to show. */
    private record Source(StoredKey key, Certificate certificate, CertificateChain chain, String friendlyName) {
    }

    /**
     * The DER PKCS#12 file. 403 for another mailbox's key, 409 while the key has no certificate, 422 weak password,
     * 429 when the caller exported too often (PBKDF2 makes every export cost the CPU a good part of a second).
     * The key derivation runs between two short transactions, not inside one: on a busy machine it can outlast a
     * transaction's timeout (that was a 500), and no database connection waits on it. The file is returned only
     * once its export is in the audit log.
     */
    public byte[] export(UUID keyId, ExportRequest request) {
        ExportProfile profile = request.profile() == null ? ExportProfile.modern : request.profile();
        Source source = QuarkusTransaction.requiringNew().call(() -> source(keyId, request));
        int iterations = profile == ExportProfile.modern
                ? config.pkcs12().modernIterations()
                : config.pkcs12().legacyIterations();
        char[] password = request.password().toCharArray();
        try {
            byte[] file = vault.withPrivateKey(source.key(), privateKey -> Pkcs12Writer.write(
                    new Pkcs12Contents(privateKey, source.certificate(), source.chain()), source.friendlyName(),
                    profile, iterations, password));
            QuarkusTransaction.requiringNew().run(() -> audit.append(caller.name(), KeyAction.KEY_EXPORTED,
                    keyId.toString(), "PKCS#12 " + profile + ", certificate "
                            + source.certificate().fingerprintSha256()));
            return file;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private Source source(UUID keyId, ExportRequest request) {
        StoredKey key = vault.require(keyId);
        caller.requireOwnerOf(key.emails.stream().map(EmailAddress::parse).toList());
        ExportPasswordPolicy.require(request.password(), config.pkcs12().minimumPasswordLength());
        KeyCertificate bound = preferred(vault.certificates(keyId));
        // counted once the cheap checks passed: only an export that gets to the key derivation costs
        rateLimiter.acquireForCaller(RateLimiter.PKCS12_EXPORT);
        Certificate certificate = bound.certificate();
        CertificateChain chain = bound.chainPem == null || bound.chainPem.isBlank()
                ? CertificateChain.of()
                : CertificateChain.fromPem(bound.chainPem);
        return new Source(key, certificate, chain, friendlyName(certificate, key));
    }

    /** The certificate valid now, else the newest: an expired key is still exported to read old mail. */
    private static KeyCertificate preferred(List<KeyCertificate> certificates) {
        Instant now = Instant.now();
        return certificates.stream()
                .max(Comparator.comparing((KeyCertificate c) -> c.isValidAt(now)).thenComparing(c -> c.notBefore))
                .orElseThrow(() -> new ProblemException(Kind.CONFLICT, "no-certificate",
                        "this key has no certificate yet; a PKCS#12 file without one opens nowhere"));
    }

    /** What mail clients show for the identity: the mailbox and when its certificate started. */
    private static String friendlyName(Certificate certificate, StoredKey key) {
        String who = certificate.emails().isEmpty() ? "key " + key.id : certificate.emails().get(0);
        return who + " (" + certificate.notBefore().toString().substring(0, 10) + ")";
    }
}
