package dev.smimepki.ca.authority;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A CA of this service: its certificate and its sealed private key. Never leaves the service as is. */
@Entity
@Table(name = "certificate_authority")
class CertificateAuthority {
    @Id
    UUID id;
    String name;
    String subject;
    @Column(name = "key_algorithm")
    String keyAlgorithm;
    @Column(name = "issuer_ca_id")
    UUID issuerCaId;
    String serial;
    @Column(name = "certificate_der")
    byte[] certificateDer;
    @Column(name = "fingerprint_sha256")
    String fingerprintSha256;
    @Column(name = "not_before")
    Instant notBefore;
    @Column(name = "not_after")
    Instant notAfter;
    @Column(name = "private_key_ciphertext")
    byte[] privateKeyCiphertext;
    @Column(name = "private_key_nonce")
    byte[] privateKeyNonce;
    @Column(name = "crl_number")
    long crlNumber;
    @Column(name = "created_at")
    Instant createdAt;
    /** For an imported CA whose issuer is not a CA of this service: the certificates above it, PEM, up to the root. */
    @Column(name = "external_chain_pem")
    String externalChainPem;
    boolean imported;
}
