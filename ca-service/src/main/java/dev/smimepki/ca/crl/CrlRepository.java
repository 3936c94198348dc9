package dev.smimepki.ca.crl;

import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.smimepki.core.cert.RevocationReason;
import dev.smimepki.runtime.tx.SqlColumns;

/** The signed CRLs of every CA, newest by CRL number served; and the revocations they list. */
@ApplicationScoped
class CrlRepository {
    private final EntityManager entityManager;

    CrlRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** One revoked certificate as a CRL lists it. */
    record RevokedEntry(BigInteger serial, Instant revokedAt, RevocationReason reason) {
    }

    List<RevokedEntry> revokedBy(UUID caId) {
        List<?> rows = entityManager.createNativeQuery("""
                select serial, revoked_at, revocation_reason from issued_certificate
                where ca_id = ?1 and revoked_at is not null order by revoked_at, serial""")
                .setParameter(1, caId)
                .getResultList();
        return rows.stream().map(row -> (Object[]) row)
                .map(row -> new RevokedEntry(new BigInteger((String) row[0], 16), SqlColumns.instant(row[1]),
                        RevocationReason.fromName((String) row[2])))
                .toList();
    }

    void insert(UUID caId, long crlNumber, Instant thisUpdate, Instant nextUpdate, byte[] der) {
        entityManager.createNativeQuery("""
                insert into crl (ca_id, crl_number, this_update, next_update, der) values (?1, ?2, ?3, ?4, ?5)""")
                .setParameter(1, caId)
                .setParameter(2, crlNumber)
                .setParameter(3, OffsetDateTime.ofInstant(thisUpdate, ZoneOffset.UTC))
                .setParameter(4, OffsetDateTime.ofInstant(nextUpdate, ZoneOffset.UTC))
                .setParameter(5, der)
                .executeUpdate();
    }

    Optional<byte[]> latestDer(UUID caId) {
        List<?> rows = entityManager.createNativeQuery(
                "select der from crl where ca_id = ?1 order by crl_number desc limit 1")
                .setParameter(1, caId)
                .getResultList();
        return rows.stream().findFirst().map(byte[].class::cast);
    }

    Optional<Instant> latestThisUpdate(UUID caId) {
        List<?> rows = entityManager.createNativeQuery(
                "select this_update from crl where ca_id = ?1 order by crl_number desc limit 1")
                .setParameter(1, caId)
                .getResultList();
        return rows.stream().findFirst().map(SqlColumns::instant);
    }

    /** Holds the CA row until commit, so that replicas refreshing the same CRL take turns. */
    void lockCa(UUID caId) {
        entityManager.createNativeQuery("select id from certificate_authority where id = ?1 for update")
                .setParameter(1, caId)
                .getResultList();
    }
}
