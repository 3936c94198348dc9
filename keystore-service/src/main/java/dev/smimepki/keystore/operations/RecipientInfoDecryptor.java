package dev.smimepki.keystore.operations;

import java.io.IOException;
import java.security.Key;
import java.security.PrivateKey;
import java.util.List;
import java.util.function.Function;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientIdentifier;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Recovers a content-encryption key from one CMS RecipientInfo (RFC 5652 section 6.2) with a stored private key:
 * key transport (RSA PKCS#1 v1.5, RSAES-OAEP) and key agreement (ECDH ephemeral-static, RFC 5753, with the key wrap
 * the info names). BouncyCastle's CMS recipients do the cryptography; only the key-recovery step is used, so the
 * message content never comes here.
 */
final class RecipientInfoDecryptor {
    static final String NOT_FOR_THIS_KEY = "recipient-not-this-key";
    static final String UNUSABLE = "recipient-info-unusable";

    private RecipientInfoDecryptor() {
    }

    static byte[] contentEncryptionKey(PrivateKeyInfo privateKeyInfo, List<RecipientIdentity> identities,
            byte[] recipientInfoDer, byte[] contentEncryptionAlgorithmDer) {
        RecipientInfo recipientInfo = parse(recipientInfoDer, "recipientInfo", RecipientInfo::getInstance);
        AlgorithmIdentifier contentEncryption = parse(contentEncryptionAlgorithmDer, "contentEncryptionAlgorithm",
                AlgorithmIdentifier::getInstance);
        ASN1Encodable info;
        try {
            info = recipientInfo.getInfo();
        } catch (RuntimeException e) {
            throw new PkiFormatException("recipientInfo is not a DER-encoded CMS RecipientInfo", e);
        }
        PrivateKey privateKey = KeyPairs.privateKeyFromDer(encoded(privateKeyInfo));
        try {
            Key key;
            if (info instanceof KeyTransRecipientInfo keyTransport) {
                requireAddressed(identities, keyTransport.getRecipientIdentifier());
                key = new KeyTransport(privateKey).recover(keyTransport.getKeyEncryptionAlgorithm(), contentEncryption,
                        keyTransport.getEncryptedKey().getOctets());
            } else if (info instanceof KeyAgreeRecipientInfo keyAgreement) {
                key = keyAgreement(privateKey, privateKeyInfo, identities, keyAgreement, contentEncryption);
            } else {
                throw new ProblemException(Kind.REFUSED_BY_POLICY, UNUSABLE,
                        "only key transport (ktri) and key agreement (kari) recipient infos are supported");
            }
            byte[] encoded = key.getEncoded();
            if (encoded == null) {
                throw new ProblemException(Kind.REFUSED_BY_POLICY, UNUSABLE, "the recovered key has no encoding");
            }
            return encoded;
        } catch (CMSException | RuntimeException e) {
            if (e instanceof ProblemException || e instanceof PkiFormatException) {
                throw (RuntimeException) e;
            }
            throw new ProblemException(Kind.REFUSED_BY_POLICY, UNUSABLE,
                    "the content-encryption key cannot be recovered with this key: the recipient info is damaged or"
                            + " uses an unsupported algorithm",
                    List.of(), e);
        }
    }

    private static Key keyAgreement(PrivateKey privateKey, PrivateKeyInfo privateKeyInfo,
            List<RecipientIdentity> identities, KeyAgreeRecipientInfo info, AlgorithmIdentifier contentEncryption)
            throws CMSException {
        OriginatorPublicKey originator = info.getOriginator().getOriginatorKey();
        if (originator == null) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, UNUSABLE,
                    "only ephemeral-static key agreement (an originator public key) is supported");
        }
        RecipientEncryptedKey addressed = null;
        ASN1Sequence keys = info.getRecipientEncryptedKeys();
        for (int i = 0; i < keys.size() && addressed == null; i++) {
            RecipientEncryptedKey candidate = RecipientEncryptedKey.getInstance(keys.getObjectAt(i));
            if (isAddressed(identities, candidate.getIdentifier())) {
                addressed = candidate;
            }
        }
        if (addressed == null) {
            throw notForThisKey();
        }
        // RFC 5753 section 3.1.1: the ephemeral key's algorithm parameters may be absent; the curve is ours.
        SubjectPublicKeyInfo ephemeral = new SubjectPublicKeyInfo(privateKeyInfo.getPrivateKeyAlgorithm(),
                originator.getPublicKey().getBytes());
        return new KeyAgreement(privateKey).recover(info.getKeyEncryptionAlgorithm(), contentEncryption, ephemeral,
                info.getUserKeyingMaterial(), addressed.getEncryptedKey().getOctets());
    }

    private static void requireAddressed(List<RecipientIdentity> identities, RecipientIdentifier recipient) {
        ASN1Encodable id = recipient.getId();
        boolean addressed;
        if (recipient.isTagged()) {
            byte[] keyIdentifier = ASN1OctetString.getInstance(id).getOctets();
            addressed = identities.stream().anyMatch(identity -> identity.matches(keyIdentifier));
        } else {
            IssuerAndSerialNumber issuerAndSerial = IssuerAndSerialNumber.getInstance(id);
            addressed = identities.stream().anyMatch(identity -> identity.matches(issuerAndSerial));
        }
        if (!addressed) {
            throw notForThisKey();
        }
    }

    private static boolean isAddressed(List<RecipientIdentity> identities, KeyAgreeRecipientIdentifier recipient) {
        if (recipient.getIssuerAndSerialNumber() != null) {
            return identities.stream().anyMatch(identity -> identity.matches(recipient.getIssuerAndSerialNumber()));
        }
        byte[] keyIdentifier = recipient.getRKeyID().getSubjectKeyIdentifier().getOctets();
        return identities.stream().anyMatch(identity -> identity.matches(keyIdentifier));
    }

    private static ProblemException notForThisKey() {
        return new ProblemException(Kind.REFUSED_BY_POLICY, NOT_FOR_THIS_KEY,
                "the recipient info is not addressed to a certificate of this key");
    }

    private static <T> T parse(byte[] der, String field, Function<Object, T> reader) {
        try {
            T value = reader.apply(ASN1Primitive.fromByteArray(der));
            if (value == null) {
                throw new PkiFormatException(field + " is empty");
            }
            return value;
        } catch (PkiFormatException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new PkiFormatException(field + " is not valid DER", e);
        }
    }

    private static byte[] encoded(PrivateKeyInfo info) {
        try {
            return info.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("a stored private key does not encode", e);
        }
    }

    /** BouncyCastle's key-transport recipient, used for its key-recovery step only. */
    private static final class KeyTransport extends JceKeyTransEnvelopedRecipient {
        KeyTransport(PrivateKey privateKey) {
            super(privateKey);
            setProvider(BouncyCastle.provider());
        }

        Key recover(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier contentEncryption, byte[] encryptedKey)
                throws CMSException {
            return extractSecretKey(keyEncryption, contentEncryption, encryptedKey);
        }
    }

    /** BouncyCastle's key-agreement recipient, used for its key-recovery step only. */
    private static final class KeyAgreement extends JceKeyAgreeEnvelopedRecipient {
        KeyAgreement(PrivateKey privateKey) {
            super(privateKey);
            setProvider(BouncyCastle.provider());
        }

        Key recover(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier contentEncryption,
                SubjectPublicKeyInfo ephemeral, ASN1OctetString userKeyingMaterial, byte[] encryptedKey)
                throws CMSException {
            return extractSecretKey(keyEncryption, contentEncryption, ephemeral, userKeyingMaterial, encryptedKey);
        }
    }
}
