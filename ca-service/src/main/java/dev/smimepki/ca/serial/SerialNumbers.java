package dev.smimepki.ca.serial;

import java.math.BigInteger;
import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Allocates certificate serial numbers: 127 random bits under a set 128th bit, so always positive and of constant
 * length (17 DER octets, within the 20 of RFC 5280 section 4.1.2.2), well above the 64 random bits of the S/MIME
 * Baseline Requirements (section 7.1). Uniqueness across replicas comes from the database: a serial is reserved by
 * inserting it, and a collision simply draws again.
 */
@ApplicationScoped
public class SerialNumbers {
    static final int RANDOM_BITS = 127;
    private static final int MAX_ATTEMPTS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager entityManager;

    SerialNumbers(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** A fresh serial, reserved in the current transaction (so a rollback releases it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public BigInteger allocate() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            BigInteger serial = new BigInteger(RANDOM_BITS, RANDOM).setBit(RANDOM_BITS);
            int inserted = entityManager
                    .createNativeQuery("insert into serial_number (serial) values (?1) on conflict do nothing")
                    .setParameter(1, serial.toString(16))
                    .executeUpdate();
            if (inserted == 1) {
                return serial;
            }
        }
        throw new IllegalStateException("no free serial number after " + MAX_ATTEMPTS + " random draws");
    }

    /**
     * Reserves a serial chosen elsewhere (an imported CA certificate) so that {@link #allocate()} never hands it out;
     * false if it was reserved already.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean reserve(BigInteger serial) {
        return entityManager
                .createNativeQuery("insert into serial_number (serial) values (?1) on conflict do nothing")
                .setParameter(1, serial.toString(16))
                .executeUpdate() == 1;
    }
}
