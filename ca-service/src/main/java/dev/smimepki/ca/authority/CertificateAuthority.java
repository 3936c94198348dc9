package dev.smimepki.ca.authority;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.policy.KeyAlgorithm;

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

    /** The row of a new CA, created or imported: its certificate's fields and its private key, sealed for this id. */
    static CertificateAuthority of(UUID id, String name, Certificate certificate, KeyAlgorithm keyAlgorithm,
            UUID issuerCaId, CaKeyEncryption.Sealed sealedKey) {
        CertificateAuthority ca = new CertificateAuthority();
        ca.id = id;
        ca.name = name;
        ca.subject = certificate.subject();
        ca.keyAlgorithm = keyAlgorithm.name();
        ca.issuerCaId = issuerCaId;
        ca.serial = certificate.serialHex();
        ca.certificateDer = certificate.der();
        ca.fingerprintSha256 = certificate.fingerprintSha256();
        ca.notBefore = certificate.notBefore();
        ca.notAfter = certificate.notAfter();
        ca.privateKeyNonce = sealedKey.nonce();
        ca.privateKeyCiphertext = sealedKey.ciphertext();
        ca.createdAt = Instant.now();
        return ca;
    }
}
