package dev.smimepki.ca.authority;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class CertificateAuthorityRepository implements PanacheRepositoryBase<CertificateAuthority, UUID> {

    List<CertificateAuthority> listByCreation() {
        return list("order by createdAt, id");
    }

    /**
     * The next CRL number of a CA. A single atomic update: concurrent callers on any replica serialise on the row
     * and each gets a distinct, strictly larger number (RFC 5280 section 5.2.3).
     */
    long nextCrlNumber(UUID caId) {
        Object number = getEntityManager()
                .createNativeQuery("update certificate_authority set crl_number = crl_number + 1 where id = ?1"
                        + " returning crl_number")
                .setParameter(1, caId)
                .getSingleResult();
        return ((Number) number).longValue();
    }
}
