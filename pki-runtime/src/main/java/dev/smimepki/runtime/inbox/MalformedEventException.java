package dev.smimepki.runtime.inbox;

/** A record on a platform topic that is not a well-formed platform event. */
public class MalformedEventException extends RuntimeException {
    private final String eventId;

    public MalformedEventException(String eventId, String message) {
        super(message);
        this.eventId = eventId;
    }

    /** The {@code ce_id}, when the record had one. */
    public String eventId() {
        return eventId;
    }
}
