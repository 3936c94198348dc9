package dev.smimepki.crypto.verification;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.smimepki.events.CertificateHarvested;
import dev.smimepki.runtime.outbox.Outbox;

/** Hands a harvested signer certificate to the outbox; the relay publishes it on {@code pki.harvest}. */
@ApplicationScoped
public class HarvestPublisher {
    private final Outbox outbox;

    HarvestPublisher(Outbox outbox) {
        this.outbox = outbox;
    }

    @Transactional
    public void publish(CertificateHarvested harvested) {
        outbox.publish(harvested);
    }
}
