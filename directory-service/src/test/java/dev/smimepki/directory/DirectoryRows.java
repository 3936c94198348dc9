package dev.smimepki.directory;

import java.util.List;

import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.smimepki.directory.store.DirectoryCertificate;

/** What the directory committed, read in a transaction of its own, for tests that check an event's effect. */
public final class DirectoryRows {
    private DirectoryRows() {
    }

    /** How many of the CloudEvent ids are recorded as applied. */
    public static long processed(EntityManager entityManager, String... ids) {
        return QuarkusTransaction.requiringNew().call(() -> (Long) entityManager
                .createNativeQuery("select count(*) from processed_event where ce_id in (:ids)", Long.class)
                .setParameter("ids", List.of(ids)).getSingleResult());
    }

    /** The stored certificate with its addresses loaded, detached; null when there is none. */
    public static DirectoryCertificate find(EntityManager entityManager, String fingerprint) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DirectoryCertificate found = DirectoryCertificate.findById(fingerprint);
            if (found != null) {
                found.addresses.size();
                entityManager.detach(found);
            }
            return found;
        });
    }
}
