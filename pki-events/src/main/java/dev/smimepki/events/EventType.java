package dev.smimepki.events;

import java.util.Arrays;
import java.util.Optional;

/** Every event the platform publishes: its CloudEvents type, its topic and the record that is its body. */
public enum EventType {
    CERTIFICATE_ISSUED("pki.certificate.issued.v1", Topics.CERTIFICATES, CertificateIssued.class),
    CERTIFICATE_REVOKED("pki.certificate.revoked.v1", Topics.CERTIFICATES, CertificateRevoked.class),
    CERTIFICATE_HARVESTED("pki.certificate.harvested.v1", Topics.HARVEST, CertificateHarvested.class);

    private final String ceType;
    private final String topic;
    private final Class<? extends PkiEvent> bodyType;

    EventType(String ceType, String topic, Class<? extends PkiEvent> bodyType) {
        this.ceType = ceType;
        this.topic = topic;
        this.bodyType = bodyType;
    }

    /** The {@code ce_type} header value. */
    public String ceType() {
        return ceType;
    }

    public String topic() {
        return topic;
    }

    public Class<? extends PkiEvent> bodyType() {
        return bodyType;
    }

    public static Optional<EventType> ofCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }

    public static EventType of(PkiEvent event) {
        return Arrays.stream(values())
                .filter(t -> t.bodyType.isInstance(event))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a platform event: " + event.getClass()));
    }
}
