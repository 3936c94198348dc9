package dev.smimepki.ca.issuance;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Issued certificates by serial, and the search behind {@code GET /api/v1/certificates}. */
@ApplicationScoped
public class IssuedCertificateRepository implements PanacheRepositoryBase<IssuedCertificate, String> {

    /**
     * Locks the row until commit, so that two revocations of one certificate take turns, then loads it. The lock is
     * taken with plain SQL: Hibernate's follow-on locking of the eager mailbox collection fails under contention.
     */
    public Optional<IssuedCertificate> findForUpdate(String serial) {
        List<?> locked = getEntityManager()
                .createNativeQuery("select serial from issued_certificate where serial = ?1 for update")
                .setParameter(1, serial)
                .getResultList();
        return locked.isEmpty() ? Optional.empty() : findByIdOptional(serial);
    }

    PanacheQuery<IssuedCertificate> search(String email, CertificateStatus status, Instant now) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        if (email != null) {
            where.append(" and :email member of emails");
            parameters.put("email", email);
        }
        if (status != null) {
            where.append(switch (status) {
                case VALID -> " and revokedAt is null and notAfter > :now";
                case REVOKED -> " and revokedAt is not null";
                case EXPIRED -> " and revokedAt is null and notAfter <= :now";
            });
            if (status != CertificateStatus.REVOKED) {
                parameters.put("now", now);
            }
        }
        return find(where + " order by issuedAt desc, serial", parameters);
    }

}
