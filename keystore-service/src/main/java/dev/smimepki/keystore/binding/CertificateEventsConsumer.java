package dev.smimepki.keystore.binding;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.reactive.messaging.annotations.Blocking;

import dev.smimepki.events.CertificateIssued;
import dev.smimepki.events.CertificateRevoked;
import dev.smimepki.events.Channels;
import dev.smimepki.runtime.inbox.InboundEvent;
import dev.smimepki.runtime.inbox.Inbox;

/** Applies ca-service's issued and revoked events to the stored keys, once each. */
@ApplicationScoped
class CertificateEventsConsumer {
    private final Inbox inbox;
    private final CertificateBinding binding;

    CertificateEventsConsumer(Inbox inbox, CertificateBinding binding) {
        this.inbox = inbox;
        this.binding = binding;
    }

    @Incoming(Channels.CERTIFICATES_IN)
    @Blocking
    void onCertificateEvents(ConsumerRecords<String, byte[]> records) {
        inbox.acceptAll(records, this::apply);
    }

    private void apply(InboundEvent event) {
        if (event.body() instanceof CertificateIssued issued) {
            binding.issued(issued);
        } else if (event.body() instanceof CertificateRevoked revoked) {
            binding.revoked(revoked);
        }
    }
}
