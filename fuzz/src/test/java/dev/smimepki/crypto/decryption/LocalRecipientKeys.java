package dev.smimepki.crypto.decryption;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.crypto.BouncyCastleProviders;
import dev.smimepki.crypto.keys.RecipientKey;
import dev.smimepki.crypto.keys.RecipientKeys;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * keystore-service's side of decryption done in the test process with the private keys of {@link EndEntity}s: the
 * content-encryption key is recovered as keystore-service recovers it, so that fuzzed messages whose recipient info
 * survives reach the content decryption. A key that cannot unwrap is keystore-service's 422.
 */
final class LocalRecipientKeys implements RecipientKeys {
    private final List<EndEntity> entities;

    LocalRecipientKeys(List<EndEntity> entities) {
        this.entities = List.copyOf(entities);
    }

    @Override
    public Optional<RecipientKey> findByIssuerAndSerial(X500Name issuer, BigInteger serial) {
        return entities.stream()
                .filter(e -> e.certificate().serial().equals(serial) && X500Name.getInstance(
                        e.certificate().x509().getIssuerX500Principal().getEncoded()).equals(issuer))
                .map(this::key).findFirst();
    }

    @Override
    public Optional<RecipientKey> findBySubjectKeyIdentifier(byte[] subjectKeyIdentifier) {
        return entities.stream()
                .filter(e -> e.certificate().subjectKeyIdentifier()
                        .map(ski -> Arrays.equals(ski, subjectKeyIdentifier)).orElse(false))
                .map(this::key).findFirst();
    }

    @Override
    public byte[] contentEncryptionKey(String keyId, byte[] recipientInfo, byte[] contentEncryptionAlgorithm) {
        PrivateKey key = entities.get(Integer.parseInt(keyId)).privateKey();
        try {
            AlgorithmIdentifier content = AlgorithmIdentifier.getInstance(contentEncryptionAlgorithm);
            RecipientInfo info = RecipientInfo.getInstance(ASN1Primitive.fromByteArray(recipientInfo));
            if (info.getInfo() instanceof KeyTransRecipientInfo ktri) {
                return new KeyTrans(key).extract(ktri.getKeyEncryptionAlgorithm(), content,
                        ktri.getEncryptedKey().getOctets());
            }
            KeyAgreeRecipientInfo kari = KeyAgreeRecipientInfo.getInstance(info.getInfo());
            OriginatorPublicKey originator = kari.getOriginator().getOriginatorKey();
            SubjectPublicKeyInfo sender = new SubjectPublicKeyInfo(
                    PrivateKeyInfo.getInstance(key.getEncoded()).getPrivateKeyAlgorithm(),
                    originator.getPublicKey().getBytes());
            RecipientEncryptedKey encrypted = RecipientEncryptedKey.getInstance(
                    kari.getRecipientEncryptedKeys().getObjectAt(0));
            return new KeyAgree(key).extract(kari.getKeyEncryptionAlgorithm(), content, sender,
                    kari.getUserKeyingMaterial(), encrypted.getEncryptedKey().getOctets());
        } catch (CMSException | IOException | RuntimeException e) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, "cannot-recover-key",
                    "the recipient info does not unwrap with the key", List.of(), e);
        }
    }

    /** The key id is the entity's index. */
    private RecipientKey key(EndEntity entity) {
        return new RecipientKey(Integer.toString(entities.indexOf(entity)), entity.certificate());
    }

    private static final class KeyTrans extends JceKeyTransEnvelopedRecipient {
        KeyTrans(PrivateKey key) {
            super(key);
            setProvider(BouncyCastleProviders.forCms());
        }

        byte[] extract(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content, byte[] encryptedKey)
                throws CMSException {
            return extractSecretKey(keyEncryption, content, encryptedKey).getEncoded();
        }
    }

    private static final class KeyAgree extends JceKeyAgreeEnvelopedRecipient {
        KeyAgree(PrivateKey key) {
            super(key);
            setProvider(BouncyCastleProviders.forCms());
        }

        byte[] extract(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content, SubjectPublicKeyInfo sender,
                ASN1OctetString ukm, byte[] encryptedKey) throws CMSException {
            return extractSecretKey(keyEncryption, content, sender, ukm, encryptedKey).getEncoded();
        }
    }
}
