package dev.smimepki.crypto.keys;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.crypto.BouncyCastleProviders;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * A test double for keystore-service: private keys of {@link dev.smimepki.core.testpki.TestPki} end entities held
 * in the test process, doing the operations keystore-service's internal API does (sign a digest, recover a CEK from a
 * RecipientInfo). Lets the CMS code be unit-tested without the remote service.
 */
public final class TestPkiKeys implements SignerKeys, RecipientKeys {
    private static final String NONE_WITH_RSA = "NONEwithRSA";
    private static final String NONE_WITH_ECDSA = "NONEwithECDSA";

    private final Map<EmailAddress, EndEntity> byMailbox = new ConcurrentHashMap<>();
    private final Map<String, EndEntity> byKeyId = new ConcurrentHashMap<>();

    /** Holds the key of this end entity for each of its mailboxes; returns the key id. */
    public String add(EndEntity entity) {
        String keyId = entity.certificate().fingerprintSha256().substring(0, 16);
        byKeyId.put(keyId, entity);
        entity.certificate().emails().forEach(email -> byMailbox.put(EmailAddress.parse(email), entity));
        return keyId;
    }

    @Override
    public SigningKey signingKeyFor(EmailAddress mailbox) {
        EndEntity entity = byMailbox.get(mailbox);
        if (entity == null) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, "no-signing-key", "no signing key for " + mailbox);
        }
        return new SigningKey(entity.certificate().fingerprintSha256().substring(0, 16), entity.certificate(),
                entity.chain());
    }

    @Override
    public byte[] sign(String keyId, SignatureScheme scheme, DigestAlgorithm digestAlgorithm, byte[] digest) {
        PrivateKey key = entity(keyId).privateKey();
        try {
            return switch (scheme) {
                case RSA_PKCS1 -> {
                    Signature signature = Signature.getInstance(NONE_WITH_RSA, BouncyCastle.provider());
                    signature.initSign(key);
                    signature.update(new DigestInfo(new AlgorithmIdentifier(digestAlgorithm.oid(), DERNull.INSTANCE),
                            digest).getEncoded());
                    yield signature.sign();
                }
                case RSA_PSS -> {
                    PSSSigner signer = PSSSigner.createRawSigner(new RSABlindedEngine(), digest(digestAlgorithm),
                            digest(digestAlgorithm), digestAlgorithm.length(), PSSSigner.TRAILER_IMPLICIT);
                    signer.init(true, PrivateKeyFactory.createKey(key.getEncoded()));
                    signer.update(digest, 0, digest.length);
                    yield signer.generateSignature();
                }
                case ECDSA -> {
                    Signature signature = Signature.getInstance(NONE_WITH_ECDSA, BouncyCastle.provider());
                    signature.initSign(key);
                    signature.update(digest);
                    yield signature.sign();
                }
            };
        } catch (GeneralSecurityException | IOException | org.bouncycastle.crypto.CryptoException e) {
            throw new IllegalStateException("test key cannot sign", e);
        }
    }

    @Override
    public Optional<RecipientKey> findByIssuerAndSerial(X500Name issuer, BigInteger serial) {
        return byKeyId.entrySet().stream()
                .filter(e -> e.getValue().certificate().serial().equals(serial) && X500Name.getInstance(
                        e.getValue().certificate().x509().getIssuerX500Principal().getEncoded()).equals(issuer))
                .map(e -> new RecipientKey(e.getKey(), e.getValue().certificate())).findFirst();
    }

    @Override
    public Optional<RecipientKey> findBySubjectKeyIdentifier(byte[] subjectKeyIdentifier) {
        return byKeyId.entrySet().stream()
                .filter(e -> e.getValue().certificate().subjectKeyIdentifier()
                        .map(ski -> Arrays.equals(ski, subjectKeyIdentifier)).orElse(false))
                .map(e -> new RecipientKey(e.getKey(), e.getValue().certificate())).findFirst();
    }

    /** The end entity behind a key id (its private key writes files for openssl and gpgsm). */
    public EndEntity entity(EmailAddress mailbox) {
        return byMailbox.get(mailbox);
    }

    @Override
    public byte[] contentEncryptionKey(String keyId, byte[] recipientInfo, byte[] contentEncryptionAlgorithm) {
        PrivateKey key = entity(keyId).privateKey();
        AlgorithmIdentifier contentAlgorithm = AlgorithmIdentifier.getInstance(contentEncryptionAlgorithm);
        try {
            RecipientInfo info = RecipientInfo.getInstance(ASN1Primitive.fromByteArray(recipientInfo));
            if (info.getInfo() instanceof KeyTransRecipientInfo ktri) {
                return new KeyTrans(key).extract(ktri.getKeyEncryptionAlgorithm(), contentAlgorithm,
                        ktri.getEncryptedKey().getOctets());
            }
            KeyAgreeRecipientInfo kari = KeyAgreeRecipientInfo.getInstance(info.getInfo());
            OriginatorPublicKey originator = kari.getOriginator().getOriginatorKey();
            // as keystore-service does: the ephemeral key's parameters may be absent (RFC 5753), the curve is ours
            SubjectPublicKeyInfo senderKey = new SubjectPublicKeyInfo(
                    PrivateKeyInfo.getInstance(key.getEncoded()).getPrivateKeyAlgorithm(),
                    originator.getPublicKey().getBytes());
            RecipientEncryptedKey encrypted = RecipientEncryptedKey.getInstance(
                    kari.getRecipientEncryptedKeys().getObjectAt(0));
            return new KeyAgree(key).extract(kari.getKeyEncryptionAlgorithm(), contentAlgorithm, senderKey,
                    kari.getUserKeyingMaterial(), encrypted.getEncryptedKey().getOctets());
        } catch (CMSException | IOException | RuntimeException e) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, "cannot-recover-key", "test key cannot unwrap: " + e,
                    java.util.List.of(), e);
        }
    }

    private EndEntity entity(String keyId) {
        EndEntity entity = byKeyId.get(keyId);
        if (entity == null) {
            throw new ProblemException(Kind.NOT_FOUND, "no-such-key", "no key " + keyId);
        }
        return entity;
    }

    private static Digest digest(DigestAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA_256 -> new SHA256Digest();
            case SHA_384 -> new SHA384Digest();
            case SHA_512 -> new SHA512Digest();
        };
    }

    /** Exposes BouncyCastle's key-transport unwrapping, as keystore-service uses it. */
    private static final class KeyTrans extends JceKeyTransEnvelopedRecipient {
        KeyTrans(PrivateKey key) {
            super(key);
            setProvider(BouncyCastleProviders.forCms());
        }

        byte[] extract(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content, byte[] encryptedKey)
                throws CMSException {
            Key key = extractSecretKey(keyEncryption, content, encryptedKey);
            return key.getEncoded();
        }
    }

    /** Exposes BouncyCastle's key-agreement unwrapping (ECDH ephemeral-static, RFC 5753). */
    private static final class KeyAgree extends JceKeyAgreeEnvelopedRecipient {
        KeyAgree(PrivateKey key) {
            super(key);
            setProvider(BouncyCastleProviders.forCms());
        }

        byte[] extract(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content, SubjectPublicKeyInfo sender,
                org.bouncycastle.asn1.ASN1OctetString ukm, byte[] encryptedKey) throws CMSException {
            return extractSecretKey(keyEncryption, content, sender, ukm, encryptedKey).getEncoded();
        }
    }
}
