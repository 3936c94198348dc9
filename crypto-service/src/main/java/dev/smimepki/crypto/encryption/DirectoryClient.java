package dev.smimepki.crypto.encryption;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.smimepki.core.PkiException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Asks directory-service which certificate to encrypt to. The directory chooses (valid, not revoked, fit, trusted,
 * newest) and says why when nothing fits; validity and key usage are checked again here, because a certificate may
 * have expired since the directory last looked.
 */
@ApplicationScoped
public class DirectoryClient implements RecipientCertificates {
    private static final int BAD_REQUEST = 400;
    private static final int NOT_FOUND = 404;

    private final DirectoryApi api;

    DirectoryClient(@RestClient DirectoryApi api) {
        this.api = api;
    }

    @Override
    public Lookup lookup(EmailAddress mailbox) {
        DirectoryApi.Entry entry;
        try {
            entry = api.entry(mailbox.toString());
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == NOT_FOUND) {
                return Lookup.unusable(mailbox, "no certificate is known for this address");
            }
            if (status == BAD_REQUEST) {
                return Lookup.unusable(mailbox, "the directory does not accept this address");
            }
            throw unavailable(e);
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
        if (entry == null || entry.preferred() == null) {
            return Lookup.unusable(mailbox, entry == null || entry.reason() == null
                    ? "no certificate is known for this address"
                    : entry.reason());
        }
        Optional<DirectoryApi.CertificateEntry> preferred = Optional.ofNullable(entry.certificates())
                .orElse(List.of()).stream()
                .filter(certificate -> entry.preferred().equalsIgnoreCase(certificate.fingerprintSha256()))
                .findFirst();
        if (preferred.isEmpty() || preferred.get().pem() == null) {
            throw unavailable(new IllegalStateException("the directory named a preferred certificate it did not list"));
        }
        Certificate certificate;
        try {
            certificate = Certificate.fromPem(preferred.get().pem());
        } catch (PkiException e) {
            throw unavailable(e);
        }
        String unfit = unfit(certificate, Instant.now());
        if (unfit != null) {
            return Lookup.unusable(mailbox, unfit);
        }
        return Lookup.found(new Recipient(mailbox, certificate, preferred.get().smimeCapabilities()));
    }

    /** Why this certificate cannot be encrypted to now, or null when it can. */
    static String unfit(Certificate certificate, Instant now) {
        if (now.isAfter(certificate.notAfter())) {
            return "the certificate expired on " + certificate.notAfter();
        }
        if (now.isBefore(certificate.notBefore())) {
            return "the certificate is not valid before " + certificate.notBefore();
        }
        KeyAlgorithm key;
        try {
            key = KeyAlgorithm.of(certificate.publicKey());
        } catch (RuntimeException e) {
            return "the certificate's key type cannot be encrypted to";
        }
        KeyUsage needed = key.isRsa() ? KeyUsage.KEY_ENCIPHERMENT : KeyUsage.KEY_AGREEMENT;
        if (certificate.hasKeyUsageExtension() && !certificate.keyUsages().contains(needed)) {
            return "the certificate's key usage lacks " + needed.wireName() + ", so it is not for encryption";
        }
        return null;
    }

    private static ProblemException unavailable(Exception cause) {
        return new ProblemException(Kind.DEPENDENCY_UNAVAILABLE, "directory-unavailable",
                "directory-service did not answer which certificates to encrypt to; retry shortly", List.of(), cause);
    }
}
