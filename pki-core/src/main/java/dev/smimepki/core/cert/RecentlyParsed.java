package dev.smimepki.core.cert;

import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificates {@link Certificate#of(byte[])} parsed last, by their exact DER. A service parses the same few
 * certificates over and over (a CA's chain, a mailbox's certificate in each answer of keystore-service or the
 * directory): a parse costs about 25 µs of BouncyCastle and JDK work, a hit a hash and a compare of the bytes, and
 * the same parsed public key keeps BouncyCastle's precomputation for the next key agreement with it. Only
 * certificates that parsed are kept, under their exact encoding, so a hit answers what a parse would.
 */
final class RecentlyParsed {
    static final int CAPACITY = 512;

    private final ConcurrentHashMap<Der, Certificate> parsed = new ConcurrentHashMap<>();

    Certificate find(byte[] der) {
        return parsed.get(new Der(der));
    }

    /** @param der the certificate's own copy of its encoding, never changed afterwards */
    void keep(byte[] der, Certificate certificate) {
        if (parsed.size() >= CAPACITY) {
            // drop an eighth, whichever the map yields first: cheap, and a miss only costs a parse; before the put,
            // so what was parsed last stays
            Iterator<Der> keys = parsed.keySet().iterator();
            for (int drop = CAPACITY / 8; drop > 0 && keys.hasNext(); drop--) {
                keys.next();
                keys.remove();
            }
        }
        parsed.put(new Der(der), certificate);
    }

    int size() {
        return parsed.size();
    }

    private static final class Der {
        private final byte[] bytes;
        private final int hash;

        Der(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Der other && hash == other.hash && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
