package dev.smimepki.ca.keystore;

import java.security.PublicKey;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.smimepki.core.PkiException;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Has keystore-service generate and keep a subscriber's key pair; ca-service only ever sees the public key. Whatever
 * goes wrong on the way is a 503 naming keystore-service, never a certificate for a key nobody holds; and a key whose
 * certificate is not issued after all is discarded there again, so that no private key is kept without one.
 */
@ApplicationScoped
public class ServerKeyGeneration {
    private static final Logger LOG = Logger.getLogger(ServerKeyGeneration.class);

    /** A key held by keystore-service: its id there and the public key to certify. */
    public record HeldKey(String keyId, PublicKey publicKey, KeyAlgorithm algorithm) {
    }

    private final KeystoreClient keystore;

    ServerKeyGeneration(@RestClient KeystoreClient keystore) {
        this.keystore = keystore;
    }

    public HeldKey generate(KeyAlgorithm algorithm, List<EmailAddress> mailboxes) {
        KeystoreClient.GeneratedKey generated;
        try {
            generated = keystore.generate(new KeystoreClient.GenerateKey(algorithm.name(),
                    mailboxes.stream().map(EmailAddress::toString).toList()));
        } catch (WebApplicationException e) {
            throw unavailable("keystore-service refused key generation (HTTP " + e.getResponse().getStatus() + ")", e);
        } catch (ProcessingException e) {
            throw unavailable("keystore-service cannot be reached for key generation", e);
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable("key generation in keystore-service failed", e);
        }
        if (generated == null || generated.keyId() == null || generated.publicKeyPem() == null) {
            throw unavailable("keystore-service answered key generation without a key id or public key", null);
        }
        PublicKey publicKey;
        KeyAlgorithm actual;
        try {
            publicKey = KeyPairs.publicKeyFromDer(Pem.decodeOne(generated.publicKeyPem(), PemType.PUBLIC_KEY));
            actual = KeyAlgorithm.of(publicKey);
        } catch (PkiException e) {
            discard(generated.keyId());
            throw unavailable("keystore-service answered with a public key that cannot be used: " + e.getMessage(), e);
        }
        if (actual != algorithm) {
            discard(generated.keyId());
            throw unavailable("keystore-service generated a " + actual + " key where " + algorithm + " was asked",
                    null);
        }
        LOG.debugf("keystore-service generated key %s (%s)", generated.keyId(), algorithm);
        return new HeldKey(generated.keyId(), publicKey, actual);
    }

    /**
     * Has keystore-service destroy a key generated for a certificate that was not issued. Best effort: the caller goes
     * on to report its own error whatever happens here, and a key left behind is logged for an admin to delete. Call
     * this only once the certificate is certainly not committed: keystore-service refuses (409) once a certificate is
     * bound, but an issued event still on its way would find no key.
     */
    public void discard(String keyId) {
        try {
            keystore.discard(keyId);
            LOG.debugf("keystore-service discarded key %s", keyId);
        } catch (WebApplicationException e) {
            LOG.warnf("keystore-service kept key %s, generated for a certificate that was not issued (HTTP %d);"
                    + " an admin may delete it", keyId, e.getResponse().getStatus());
        } catch (RuntimeException e) {
            LOG.warnf(e, "key %s, generated for a certificate that was not issued, could not be discarded in"
                    + " keystore-service; an admin may delete it", keyId);
        }
    }

    private static ProblemException unavailable(String detail, Throwable cause) {
        return new ProblemException(Kind.DEPENDENCY_UNAVAILABLE, "keystore-unavailable", detail, List.of(), cause);
    }
}
