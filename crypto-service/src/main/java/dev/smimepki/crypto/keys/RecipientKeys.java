package dev.smimepki.crypto.keys;

import java.math.BigInteger;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;

/**
 * The private-key side of decryption: find a key we hold for a CMS recipient info and recover the content-encryption
 * key with it. Production asks keystore-service ({@link KeystoreKeys}); the content is decrypted here.
 */
public interface RecipientKeys {

    /** The key whose certificate has this issuer and serial number, if we hold it. */
    Optional<RecipientKey> findByIssuerAndSerial(X500Name issuer, BigInteger serial);

    /** The key whose certificate has this subject key identifier, if we hold it. */
    Optional<RecipientKey> findBySubjectKeyIdentifier(byte[] subjectKeyIdentifier);

    /**
     * The content-encryption key wrapped in a RecipientInfo.
     *
     * @param recipientInfo DER of the CMS RecipientInfo (any choice: ktri, kari)
     * @param contentEncryptionAlgorithm DER of the content-encryption AlgorithmIdentifier
     */
    byte[] contentEncryptionKey(String keyId, byte[] recipientInfo, byte[] contentEncryptionAlgorithm);
}
