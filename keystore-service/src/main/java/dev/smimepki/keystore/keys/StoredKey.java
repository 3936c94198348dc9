package dev.smimepki.keystore.keys;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.keystore.sealing.SealedPrivateKey;
import dev.smimepki.keystore.sealing.WrappedDataKey;

/** A user's private key, sealed, with its public key and mailboxes. Never crosses the wire as is. */
@Entity
@Table(name = "stored_key")
public class StoredKey extends PanacheEntityBase {
    /** How the key came here. */
    public enum Origin {
        /** Generated here for ca-service; it never left the service. */
        generated,
        /** Imported from a PKCS#12 file. */
        imported
    }

    @Id
    public UUID id;
    @Column(name = "key_algorithm")
    @Enumerated(EnumType.STRING)
    public KeyAlgorithm keyAlgorithm;
    @Column(name = "public_key_der")
    public byte[] publicKeyDer;
    @Column(name = "public_key_sha256")
    public String publicKeySha256;
    @Enumerated(EnumType.STRING)
    public Origin origin;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "private_key_nonce")
    byte[] privateKeyNonce;
    @Column(name = "private_key_ciphertext")
    byte[] privateKeyCiphertext;
    @Column(name = "kek_version")
    String kekVersion;
    @Column(name = "data_key_nonce")
    byte[] dataKeyNonce;
    @Column(name = "wrapped_data_key")
    byte[] wrappedDataKey;
    /** Normalised mailboxes (RFC 8550): those named at generation and those of every bound certificate. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "stored_key_email", joinColumns = @JoinColumn(name = "key_id"))
    @Column(name = "email")
    public Set<String> emails = new HashSet<>();

    SealedPrivateKey sealed() {
        return new SealedPrivateKey(privateKeyNonce, privateKeyCiphertext,
                new WrappedDataKey(kekVersion, dataKeyNonce, wrappedDataKey));
    }

    void seal(SealedPrivateKey sealed) {
        privateKeyNonce = sealed.nonce();
        privateKeyCiphertext = sealed.ciphertext();
        kekVersion = sealed.wrappedDataKey().kekVersion();
        dataKeyNonce = sealed.wrappedDataKey().nonce();
        wrappedDataKey = sealed.wrappedDataKey().ciphertext();
    }
}
