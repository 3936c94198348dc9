package dev.smimepki.runtime.tx;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Columns of native queries, as the JDBC driver and Hibernate hand them back. */
public final class SqlColumns {
    private SqlColumns() {
    }

    /** A timestamptz column, whichever type it came back as. */
    public static Instant instant(Object column) {
        if (column instanceof Instant instant) {
            return instant;
        }
        if (column instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (column instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("unexpected timestamptz type " + column.getClass().getName());
    }
}
