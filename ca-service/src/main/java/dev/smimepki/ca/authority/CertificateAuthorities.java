package dev.smimepki.ca.authority;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * The CAs as the other features need them: a signer by id, and CRL numbers. A CA never changes once created, so its
 * unsealed signer is kept for the life of the process.
 */
@ApplicationScoped
public class CertificateAuthorities {
    private final CertificateAuthorityRepository repository;
    private final CaKeyEncryption keyEncryption;
    private final Map<UUID, CaSigner> signers = new ConcurrentHashMap<>();

    CertificateAuthorities(CertificateAuthorityRepository repository, CaKeyEncryption keyEncryption) {
        this.repository = repository;
        this.keyEncryption = keyEncryption;
    }

    /** The signer of a CA, or a 404 problem. */
    public CaSigner signer(UUID caId) {
        return findSigner(caId).orElseThrow(() -> notFound(caId));
    }

    @Transactional
    public Optional<CaSigner> findSigner(UUID caId) {
        CaSigner cached = signers.get(caId);
        if (cached != null) {
            return Optional.of(cached);
        }
        return repository.findByIdOptional(caId).map(ca -> signers.computeIfAbsent(caId, id -> unseal(ca)));
    }

    /** Every CA id, oldest first. */
    @Transactional
    public List<UUID> ids() {
        return repository.listByCreation().stream().map(ca -> ca.id).toList();
    }

    /** See {@link CertificateAuthorityRepository#nextCrlNumber(UUID)}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long nextCrlNumber(UUID caId) {
        return repository.nextCrlNumber(caId);
    }

    static ProblemException notFound(UUID caId) {
        return new ProblemException(ProblemException.Kind.NOT_FOUND, "ca-not-found", "no CA with id " + caId);
    }

    /**
     * The certificate chain of a CA (this CA first, up to the root) for showing what it issued: no private key is
     * unsealed for it. 404 problem for an unknown id.
     */
    @Transactional
    public CertificateChain chain(UUID caId) {
        CaSigner cached = signers.get(caId);
        if (cached != null) {
            return cached.chain();
        }
        return chainOf(repository.findByIdOptional(caId).orElseThrow(() -> notFound(caId)));
    }

    /** The CA's certificate up to the root, this CA first. */
    CertificateChain chainOf(CertificateAuthority ca) {
        List<Certificate> certificates = new ArrayList<>();
        CertificateAuthority current = ca;
        while (current != null) {
            certificates.add(Certificate.of(current.certificateDer));
            if (current.issuerCaId == null && current.externalChainPem != null) {
                // An imported CA whose issuer is not here: the rest of the way up is what its PKCS#12 carried.
                certificates.addAll(CertificateChain.fromPem(current.externalChainPem).certificates());
            }
            current = current.issuerCaId == null ? null : repository.findById(current.issuerCaId);
        }
        return new CertificateChain(certificates);
    }

    private CaSigner unseal(CertificateAuthority ca) {
        byte[] pkcs8 = keyEncryption.open(ca.id, new CaKeyEncryption.Sealed(ca.privateKeyNonce,
                ca.privateKeyCiphertext));
        CertificateChain chain = chainOf(ca);
        return new CaSigner(ca.id, chain, KeyAlgorithm.fromName(ca.keyAlgorithm),
                KeyPairs.privateKeyFromDer(pkcs8), CertificationPaths.mayCertifyCas(chain));
    }
}
