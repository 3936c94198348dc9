package dev.smimepki.events;

/** Kafka topic names of the platform: the only place they are spelled. */
public final class Topics {
    /** Certificate life-cycle events from ca-service ({@code issued}, {@code revoked}), keyed by fingerprint. */
    public static final String CERTIFICATES = "pki.certificates";
    /** Certificates learnt from verified signatures by crypto-service, keyed by fingerprint. */
    public static final String HARVEST = "pki.harvest";

    private Topics() {
    }
}
