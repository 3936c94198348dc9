package dev.smimepki.keystore.pkcs12;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.keystore.KeystoreConfig;
import dev.smimepki.keystore.audit.KeyAction;
import dev.smimepki.keystore.keys.KeyVault;
import dev.smimepki.keystore.keys.StoredKey;
import dev.smimepki.runtime.audit.AuditLog;
import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Keeps an existing key and certificate (e.g. bought from a commercial CA). Every check runs before anything is
 * written, and the key, its certificate and the audit entry are written in one transaction: a refused file leaves
 * nothing behind.
 */
@ApplicationScoped
public class Pkcs12Import {
    private final KeyVault vault;
    private final AuditLog audit;
    private final Caller caller;
    private final KeystoreConfig config;

    Pkcs12Import(KeyVault vault, AuditLog audit, Caller caller, KeystoreConfig config) {
        this.vault = vault;
        this.audit = audit;
        this.caller = caller;
        this.config = config;
    }

    /** {@code file} is the uploaded part; a user may import only a certificate naming its own mailbox. */
    @Transactional
    public ImportedKey importFile(Path file, String password) {
        Pkcs12Contents contents = Pkcs12Reader.read(read(file), password == null
                ? new char[0]
                : password.toCharArray());
        List<EmailAddress> emails = contents.certificate().emails().stream()
                .flatMap(email -> EmailAddress.tryParse(email).stream())
                .distinct()
                .toList();
        if (emails.isEmpty()) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, "pkcs12-no-mailbox",
                    "the certificate names no e-mail address, so the key would belong to no mailbox");
        }
        caller.requireOwnerOf(emails);
        KeyAlgorithm algorithm = KeyAlgorithm.of(contents.certificate().publicKey());
        byte[] pkcs8 = encoded(contents);
        StoredKey key;
        try {
            key = vault.store(pkcs8, contents.certificate().publicKey(),
                    algorithm, StoredKey.Origin.imported, emails);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        vault.bind(key, contents.certificate(), contents.chain());
        audit.append(caller.name(), KeyAction.KEY_IMPORTED, key.id.toString(),
                "certificate " + contents.certificate().fingerprintSha256());
        return new ImportedKey(key.id.toString(), key.emails.stream().sorted().toList(),
                contents.certificate().fingerprintSha256());
    }

    private byte[] read(Path file) {
        if (file == null) {
            throw new ProblemException(Kind.MALFORMED, Pkcs12Reader.MALFORMED,
                    "the multipart part pkcs12 is missing");
        }
        try {
            if (Files.size(file) > config.pkcs12().maximumImportBytes()) {
                throw new ProblemException(Kind.TOO_LARGE, "pkcs12-too-large", "a PKCS#12 file may have at most "
                        + config.pkcs12().maximumImportBytes() + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the uploaded file", e);
        }
    }

    private static byte[] encoded(Pkcs12Contents contents) {
        try {
            return contents.privateKey().getEncoded();
        } catch (IOException e) {
            throw new ProblemException(Kind.MALFORMED, Pkcs12Reader.MALFORMED, "the private key is damaged",
                    List.of(), e);
        }
    }
}
