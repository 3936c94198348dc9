package dev.smimepki.events;

/** Reactive-messaging channel names the services bind to the {@link Topics}. */
public final class Channels {
    /** Consumes {@link Topics#CERTIFICATES}. */
    public static final String CERTIFICATES_IN = "certificates-in";
    /** Consumes {@link Topics#HARVEST}. */
    public static final String HARVEST_IN = "harvest-in";

    private Channels() {
    }
}
