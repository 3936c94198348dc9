package dev.smimepki.crypto.verification;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small least-recently-used map whose entries each expire at their own time (an OCSP answer's nextUpdate, a CRL's
 * nextUpdate). Bounded, so certificates of many correspondents cannot grow it without limit.
 */
final class ExpiringCache<K, V> {
    private final int maxEntries;
    private final Clock clock;
    private final LinkedHashMap<K, Entry<V>> entries;

    ExpiringCache(int maxEntries, Clock clock) {
        this.maxEntries = Math.max(1, maxEntries);
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > ExpiringCache.this.maxEntries;
            }
        };
    }

    synchronized V get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    synchronized void put(K key, V value, Instant expires) {
        if (clock.instant().isBefore(expires)) {
            entries.put(key, new Entry<>(value, expires));
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private record Entry<V>(V value, Instant expires) {
    }
}
