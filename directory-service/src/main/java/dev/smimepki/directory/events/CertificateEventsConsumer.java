package dev.smimepki.directory.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.reactive.messaging.annotations.Blocking;

import dev.smimepki.directory.store.CertificateStore;
import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.events.Channels;
import dev.smimepki.runtime.inbox.InboundEvent;
import dev.smimepki.runtime.inbox.Inbox;

/** Applies ca-service's issued and revoked events to the directory, once each. */
@ApplicationScoped
class CertificateEventsConsumer {
    private final Inbox inbox;
    private final CertificateStore store;

    CertificateEventsConsumer(Inbox inbox, CertificateStore store) {
        this.inbox = inbox;
        this.store = store;
    }

    @Incoming(Channels.CERTIFICATES_IN)
    @Blocking
    void onCertificateEvents(ConsumerRecords<String, byte[]> records) {
        inbox.acceptAll(records, this::apply);
    }

    private void apply(InboundEvent event) {
        if (event.body() instanceof CertificateIssued issued) {
            store.recordIssued(issued, event.time());
        } else if (event.body() instanceof CertificateRevoked revoked) {
            store.recordRevoked(revoked);
        }
    }
}
