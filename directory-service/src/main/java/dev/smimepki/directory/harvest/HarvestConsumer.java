package dev.smimepki.directory.harvest;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.reactive.messaging.annotations.Blocking;

import dev.smimepki.events.CertificateHarvested;
import dev.smimepki.events.Channels;
import dev.smimepki.runtime.inbox.InboundEvent;
import dev.smimepki.runtime.inbox.Inbox;

/** Applies crypto-service's harvested events ({@code pki.harvest}) to the directory, once each. */
@ApplicationScoped
class HarvestConsumer {
    private final Inbox inbox;
    private final HarvestIntake intake;

    HarvestConsumer(Inbox inbox, HarvestIntake intake) {
        this.inbox = inbox;
        this.intake = intake;
    }

    @Incoming(Channels.HARVEST_IN)
    @Blocking
    void onHarvestEvents(ConsumerRecords<String, byte[]> records) {
        inbox.acceptAll(records, this::apply);
    }

    private void apply(InboundEvent event) {
        if (event.body() instanceof CertificateHarvested harvested) {
            intake.accept(harvested);
        }
    }
}
