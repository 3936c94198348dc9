package dev.smimepki.ca.crl;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import dev.smimepki.ca.authority.CertificateAuthorities;

/** Keeps every CRL fresh when no revocation re-signs it: well before nextUpdate (DOMAIN.md: at least every 7 days). */
@ApplicationScoped
class CrlRefresh {
    private static final Logger LOG = Logger.getLogger(CrlRefresh.class);

    private final CertificateAuthorities authorities;
    private final CrlPublisher publisher;

    CrlRefresh(CertificateAuthorities authorities, CrlPublisher publisher) {
        this.authorities = authorities;
        this.publisher = publisher;
    }

    @Scheduled(every = "${pki.ca.crl.check-every}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshDueCrls() {
        for (UUID caId : authorities.ids()) {
            try {
                publisher.refreshIfDue(caId);
            } catch (RuntimeException e) {
                // One broken CA must not keep the others' CRLs from being refreshed.
                LOG.errorf(e, "cannot refresh the CRL of CA %s", caId);
            }
        }
    }
}
