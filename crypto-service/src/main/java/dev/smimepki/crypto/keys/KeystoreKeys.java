package dev.smimepki.crypto.keys;

import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.bouncycastle.asn1.x500.X500Name;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.smimepki.core.PkiException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/** Signing and key recovery done by keystore-service, which alone holds private keys. */
@ApplicationScoped
public class KeystoreKeys implements SignerKeys, RecipientKeys {
    private static final int NOT_FOUND = 404;

    private final KeystoreApi api;

    KeystoreKeys(@RestClient KeystoreApi api) {
        this.api = api;
    }

    @Override
    public SigningKey signingKeyFor(EmailAddress mailbox) {
        try {
            KeystoreApi.SigningKeyView view = api.signingKey(mailbox.toString());
            Certificate certificate = Certificate.fromPem(view.certificatePem());
            CertificateChain chain = view.chainPem() == null || view.chainPem().isBlank()
                    ? new CertificateChain(List.of())
                    : CertificateChain.fromPem(view.chainPem());
            return new SigningKey(view.keyId(), certificate, chain);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == NOT_FOUND) {
                throw new ProblemException(Kind.REFUSED_BY_POLICY, "no-signing-key",
                        "keystore-service holds no signing key for " + mailbox);
            }
            throw unavailable(e);
        } catch (ProcessingException | PkiException e) {
            throw unavailable(e);
        }
    }

    @Override
    public byte[] sign(String keyId, SignatureScheme scheme, DigestAlgorithm digestAlgorithm, byte[] digest) {
        try {
            KeystoreApi.SignResponse response = api.sign(keyId, new KeystoreApi.SignRequest(scheme.name(),
                    digestAlgorithm.name(), Base64.getEncoder().encodeToString(digest)));
            return Base64.getDecoder().decode(response.signature());
        } catch (WebApplicationException | ProcessingException | IllegalArgumentException | NullPointerException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<RecipientKey> findByIssuerAndSerial(X500Name issuer, BigInteger serial) {
        try {
            return find(new KeystoreApi.FindKeyRequest(Base64.getEncoder().encodeToString(issuer.getEncoded()),
                    serial.toString(16), null));
        } catch (java.io.IOException e) {
            // an issuer name that does not encode cannot name one of our certificates
            return Optional.empty();
        }
    }

    @Override
    public Optional<RecipientKey> findBySubjectKeyIdentifier(byte[] subjectKeyIdentifier) {
        return find(new KeystoreApi.FindKeyRequest(null, null,
                Base64.getEncoder().encodeToString(subjectKeyIdentifier)));
    }

    @Override
    public byte[] contentEncryptionKey(String keyId, byte[] recipientInfo, byte[] contentEncryptionAlgorithm) {
        try {
            KeystoreApi.DecryptResponse response = api.decrypt(keyId, new KeystoreApi.DecryptRequest(
                    Base64.getEncoder().encodeToString(recipientInfo),
                    Base64.getEncoder().encodeToString(contentEncryptionAlgorithm)));
            return Base64.getDecoder().decode(response.contentEncryptionKey());
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 400 || status == 422) {
                throw new ProblemException(Kind.REFUSED_BY_POLICY, "cannot-recover-key",
                        "keystore-service cannot recover the content-encryption key from this recipient info");
            }
            throw unavailable(e);
        } catch (ProcessingException | IllegalArgumentException | NullPointerException e) {
            throw unavailable(e);
        }
    }

    private Optional<RecipientKey> find(KeystoreApi.FindKeyRequest request) {
        try {
            KeystoreApi.KeyMatch match = api.find(request);
            if (match == null || match.keyId() == null || match.certificatePem() == null) {
                return Optional.empty();
            }
            return Optional.of(new RecipientKey(match.keyId(), Certificate.fromPem(match.certificatePem())));
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == NOT_FOUND) {
                return Optional.empty();
            }
            throw unavailable(e);
        } catch (ProcessingException | PkiException e) {
            throw unavailable(e);
        }
    }

    private static ProblemException unavailable(Exception cause) {
        return new ProblemException(Kind.DEPENDENCY_UNAVAILABLE, "keystore-unavailable",
                "keystore-service did not perform the key operation; retry shortly", List.of(), cause);
    }
}
