package dev.smimepki.ca.crl;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.jboss.logging.Logger;

import dev.smimepki.ca.CaConfig;
import dev.smimepki.ca.authority.CaSigner;
import dev.smimepki.ca.authority.CertificateAuthorities;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * Signs and stores CRLs: on CA creation, on every revocation (in the revoking transaction) and when the current one
 * gets old. Requests are served from the stored DER, never signed per request.
 */
@ApplicationScoped
public class CrlPublisher {
    private static final Logger LOG = Logger.getLogger(CrlPublisher.class);

    private final CertificateAuthorities authorities;
    private final CrlRepository repository;
    private final Duration validity;
    private final Duration reissueAfter;

    CrlPublisher(CertificateAuthorities authorities, CrlRepository repository, CaConfig config) {
        this.authorities = authorities;
        this.repository = repository;
        this.validity = config.crl().validity();
        this.reissueAfter = config.crl().reissueAfter();
    }

    /** Signs a new CRL of the CA in the current transaction, listing every revocation visible to it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(CaSigner ca) {
        // Takes the CA row lock: concurrent publishers for one CA serialise here, and the later one sees the earlier
        // one's revocations, so a higher CRL number never lists less.
        long number = authorities.nextCrlNumber(ca.caId());
        Instant thisUpdate = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant nextUpdate = thisUpdate.plus(validity);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(ca.certificateHolder().getSubject(), Date.from(thisUpdate))
                .setNextUpdate(Date.from(nextUpdate));
        for (CrlRepository.RevokedEntry entry : repository.revokedBy(ca.caId())) {
            // RFC 5280 section 5.3.1: the reasonCode entry extension is left out rather than "unspecified"; BC
            // leaves it out for code 0.
            builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), entry.reason().code());
        }
        try {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(ca.certificate().subjectKeyIdentifier().orElseThrow()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            repository.insert(ca.caId(), number, thisUpdate, nextUpdate,
                    builder.build(ca.contentSigner()).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the CRL of CA " + ca.caId(), e);
        }
        LOG.debugf("CRL %d of CA %s published, next update %s", number, ca.caId(), nextUpdate);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(UUID caId) {
        publish(authorities.signer(caId));
    }

    /** Re-signs the CA's CRL if it is older than {@code pki.ca.crl.reissue-after}; one replica does it. */
    @Transactional
    void refreshIfDue(UUID caId) {
        repository.lockCa(caId);
        Instant latest = repository.latestThisUpdate(caId).orElse(Instant.EPOCH);
        if (!latest.plus(reissueAfter).isAfter(Instant.now())) {
            publish(caId);
        }
    }

    /** The current CRL, DER. Every CA gets its first CRL in the transaction that creates it. */
    @Transactional
    public byte[] current(UUID caId) {
        return repository.latestDer(caId).orElseThrow(() -> new ProblemException(ProblemException.Kind.NOT_FOUND,
                "ca-not-found", "no CA with id " + caId));
    }
}
