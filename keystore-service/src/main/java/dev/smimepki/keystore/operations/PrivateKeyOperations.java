package dev.smimepki.keystore.operations;

import java.math.BigInteger;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.bouncycastle.asn1.x500.X500Name;

import dev.smimepki.keystore.Base64Field;
import dev.smimepki.keystore.audit.KeyAction;
import dev.smimepki.keystore.keys.KeyCertificate;
import dev.smimepki.keystore.keys.KeyVault;
import dev.smimepki.keystore.keys.StoredKey;
import dev.smimepki.runtime.audit.AuditLog;

/**
 * The private-key operations crypto-service needs, so that it signs and decrypts without ever holding a private
 * key. Each one is audited (who, which key, what) in the transaction that loads the key.
 */
@ApplicationScoped
public class PrivateKeyOperations {
    private final KeyVault vault;
    private final AuditLog audit;

    PrivateKeyOperations(KeyVault vault, AuditLog audit) {
        this.vault = vault;
        this.audit = audit;
    }

    /** Signs the request's digest; 422 when the scheme does not fit the key. */
    public SignatureValue sign(UUID keyId, SignRequest request, String actor) {
        byte[] digest = Base64Field.decode(request.digest(), "digest");
        return new SignatureValue(Base64Field.encode(sign(keyId, request.scheme(), request.digestAlgorithm(), digest,
                actor)));
    }

    /** Recovers the content-encryption key the request's recipient info carries. */
    public ContentEncryptionKey decrypt(UUID keyId, DecryptRequest request, String actor) {
        byte[] recipientInfo = Base64Field.decode(request.recipientInfo(), "recipientInfo");
        byte[] algorithm = Base64Field.decode(request.contentEncryptionAlgorithm(), "contentEncryptionAlgorithm");
        return new ContentEncryptionKey(Base64Field.encode(decrypt(keyId, recipientInfo, algorithm, actor)));
    }

    @Transactional
    public byte[] sign(UUID keyId, SignatureScheme scheme, DigestAlgorithm digestAlgorithm, byte[] digest,
            String actor) {
        StoredKey key = vault.require(keyId);
        byte[] signature = vault.withPrivateKey(key,
                privateKey -> DigestSigner.sign(privateKey, scheme, digestAlgorithm, digest));
        audit.append(actor, KeyAction.DIGEST_SIGNED, keyId.toString(), scheme + " " + digestAlgorithm);
        return signature;
    }

    /** 422 when the recipient info is not addressed to a certificate of this key or cannot be used. */
    @Transactional
    public byte[] decrypt(UUID keyId, byte[] recipientInfo, byte[] contentEncryptionAlgorithm, String actor) {
        StoredKey key = vault.require(keyId);
        List<RecipientIdentity> identities = vault.certificates(keyId).stream()
                .map(PrivateKeyOperations::identity)
                .toList();
        byte[] contentKey = vault.withPrivateKey(key, privateKey -> RecipientInfoDecryptor.contentEncryptionKey(
                privateKey, identities, recipientInfo, contentEncryptionAlgorithm));
        audit.append(actor, KeyAction.KEY_DECRYPTED, keyId.toString(), "content-encryption key recovered");
        return contentKey;
    }

    private static RecipientIdentity identity(KeyCertificate certificate) {
        return new RecipientIdentity(X500Name.getInstance(certificate.issuerDer), new BigInteger(certificate.serial,
                16), certificate.subjectKeyIdentifier);
    }
}
