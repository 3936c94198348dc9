package dev.smimepki.ca.authority;

import java.util.Optional;
import java.util.UUID;

import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.TestCa;

/**
 * One CA held in memory instead of unsealed from the database, so that the OCSP responder can be fuzzed without
 * PostgreSQL: it signs with the real {@link CaSigner}.
 */
public final class InMemoryCertificateAuthorities extends CertificateAuthorities {
    private final CaSigner signer;

    public InMemoryCertificateAuthorities(UUID caId, TestCa ca, CertificateChain chain) {
        super(null, null);
        this.signer = new CaSigner(caId, chain, KeyAlgorithm.of(ca.certificate().publicKey()), ca.privateKey(),
                false);
    }

    @Override
    public Optional<CaSigner> findSigner(UUID caId) {
        return signer.caId().equals(caId) ? Optional.of(signer) : Optional.empty();
    }
}
