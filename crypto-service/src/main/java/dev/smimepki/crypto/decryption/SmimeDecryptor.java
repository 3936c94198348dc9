package dev.smimepki.crypto.decryption;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.mail.internet.ContentType;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1OctetStringParser;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1SetParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.cms.AuthEnvelopedDataParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.asn1.cms.EncryptedContentInfoParser;
import org.bouncycastle.asn1.cms.EnvelopedDataParser;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientIdentifier;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.crypto.keys.RecipientKey;
import dev.smimepki.crypto.keys.RecipientKeys;
import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.MimeEntity;
import dev.smimepki.crypto.verification.SmimeVerifier;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Decrypts an S/MIME encrypted message (EnvelopedData, RFC 5652; AuthEnvelopedData with AES-GCM, RFC 5083/5084)
 * streaming from the spooled file. The key is chosen from the recipient infos (issuer and serial, or subject key
 * identifier), never from To/Cc, so forwarded mail opens; keystore-service recovers the content-encryption key and
 * the content is decrypted here.
 *
 * <p>AES-GCM plaintext is staged in a {@link SealedStagingFile} and released only after the authentication tag checks
 * out: a tampered message yields a problem and not one byte of plaintext.
 */
public final class SmimeDecryptor {
    private static final int BUFFER = 64 * 1024;
    private static final int AES_BLOCK = 16;

    private final RecipientKeys keys;
    private final MessageSpool spool;

    public SmimeDecryptor(RecipientKeys keys, MessageSpool spool) {
        this.keys = keys;
        this.spool = spool;
    }

    /**
     * Writes the decrypted MIME entity to {@code out}.
     *
     * @param mayUse whether the caller may decrypt with a key we hold (a user only with their own mailbox's key)
     */
    public Decryption decrypt(MimeEntity message, Predicate<RecipientKey> mayUse, OutputStream out) {
        requireEncrypted(message.contentType());
        try (InputStream body = message.decodedBody()) {
            // an explicit limit: for a plain stream BouncyCastle would otherwise cap lengths at the maximum heap
            // size, refusing large messages on a small heap although nothing is held in memory
            ASN1Encodable first = new ASN1StreamParser(body, Integer.MAX_VALUE).readObject();
            if (!(first instanceof ASN1SequenceParser sequence)) {
                throw malformedCms(null);
            }
            ContentInfoParser contentInfo = new ContentInfoParser(sequence);
            ASN1ObjectIdentifier type = contentInfo.getContentType();
            if (CMSObjectIdentifiers.envelopedData.equals(type)) {
                EnvelopedDataParser enveloped = new EnvelopedDataParser(
                        (ASN1SequenceParser) contentInfo.getContent(BERTags.SEQUENCE));
                enveloped.getOriginatorInfo();
                Chosen chosen = choose(read(enveloped.getRecipientInfos()), mayUse);
                EncryptedContentInfoParser content = enveloped.getEncryptedContentInfo();
                AlgorithmIdentifier algorithm = content.getContentEncryptionAlgorithm();
                int keyLength = cbcKeyLength(algorithm);
                byte[] cek = contentEncryptionKey(chosen, algorithm, keyLength);
                decryptCbc(algorithm, cek, encryptedContent(content), out);
                return new Decryption(chosen.key(), algorithm.getAlgorithm(), false);
            }
            if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                AuthEnvelopedDataParser enveloped = new AuthEnvelopedDataParser(
                        (ASN1SequenceParser) contentInfo.getContent(BERTags.SEQUENCE));
                enveloped.getOriginatorInfo();
                Chosen chosen = choose(read(enveloped.getRecipientInfos()), mayUse);
                EncryptedContentInfoParser content = enveloped.getAuthEncryptedContentInfo();
                AlgorithmIdentifier algorithm = content.getContentEncryptionAlgorithm();
                int keyLength = gcmKeyLength(algorithm);
                byte[] cek = contentEncryptionKey(chosen, algorithm, keyLength);
                decryptGcm(enveloped, algorithm, cek, encryptedContent(content), out);
                return new Decryption(chosen.key(), algorithm.getAlgorithm(), true);
            }
            if (CMSObjectIdentifiers.compressedData.equals(type)) {
                throw SmimeVerifier.compressedData();
            }
            throw new ProblemException(Kind.MALFORMED, "not-encrypted",
                    "the S/MIME body is CMS " + type + ", not enveloped-data or authEnveloped-data");
        } catch (ProblemException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw malformedCms(e);
        }
    }

    private static void requireEncrypted(ContentType type) {
        if (!type.match("application/pkcs7-mime") && !type.match("application/x-pkcs7-mime")) {
            throw new ProblemException(Kind.MALFORMED, "not-encrypted",
                    "the message is not S/MIME encrypted: its type is " + type.getBaseType()
                            + ", not application/pkcs7-mime");
        }
        String smimeType = Optional.ofNullable(type.getParameter("smime-type")).orElse("").toLowerCase(Locale.ROOT);
        if (smimeType.equals("compressed-data")) {
            throw SmimeVerifier.compressedData();
        }
        if (!smimeType.isEmpty() && !smimeType.equals("enveloped-data") && !smimeType.equals("authenveloped-data")) {
            throw new ProblemException(Kind.MALFORMED, "not-encrypted",
                    "the message is S/MIME " + smimeType + ", not encrypted; verify it instead");
        }
    }

    private static List<RecipientInfo> read(ASN1SetParser set) throws IOException {
        List<RecipientInfo> infos = new ArrayList<>();
        ASN1Encodable next;
        while ((next = set.readObject()) != null) {
            infos.add(RecipientInfo.getInstance(next.toASN1Primitive()));
        }
        return infos;
    }

    /**
     * The first recipient info naming a key we hold that the caller may use. 403 when we hold keys for the message
     * but all belong to other mailboxes; 422 when we hold none.
     */
    private Chosen choose(List<RecipientInfo> infos, Predicate<RecipientKey> mayUse) {
        boolean othersOnly = false;
        for (RecipientInfo info : infos) {
            for (Identifier identifier : identifiers(info)) {
                Optional<RecipientKey> key = identifier.issuerAndSerial() != null
                        ? keys.findByIssuerAndSerial(identifier.issuerAndSerial().getName(),
                                identifier.issuerAndSerial().getSerialNumber().getValue())
                        : keys.findBySubjectKeyIdentifier(identifier.subjectKeyIdentifier());
                if (key.isPresent()) {
                    if (mayUse.test(key.get())) {
                        return new Chosen(info, key.get());
                    }
                    othersOnly = true;
                }
            }
        }
        if (othersOnly) {
            throw new ProblemException(Kind.FORBIDDEN, "not-owner",
                    "the message is encrypted only to keys of other mailboxes");
        }
        throw new ProblemException(Kind.REFUSED_BY_POLICY, "no-key-for-message",
                "none of the message's " + infos.size() + " recipients is a key held in keystore-service");
    }

    /** Who a recipient info is for; password, KEK and other recipient infos name no certificate and are skipped. */
    private static List<Identifier> identifiers(RecipientInfo info) {
        List<Identifier> identifiers = new ArrayList<>();
        ASN1Encodable choice = info.getInfo();
        if (choice instanceof KeyTransRecipientInfo keyTransport) {
            RecipientIdentifier id = keyTransport.getRecipientIdentifier();
            identifiers.add(id.isTagged()
                    ? new Identifier(null, ASN1OctetString.getInstance(id.getId()).getOctets())
                    : new Identifier(IssuerAndSerialNumber.getInstance(id.getId()), null));
        } else if (choice instanceof KeyAgreeRecipientInfo keyAgreement) {
            for (ASN1Encodable element : keyAgreement.getRecipientEncryptedKeys()) {
                KeyAgreeRecipientIdentifier id = RecipientEncryptedKey.getInstance(element).getIdentifier();
                identifiers.add(id.getIssuerAndSerialNumber() != null
                        ? new Identifier(id.getIssuerAndSerialNumber(), null)
                        : new Identifier(null, id.getRKeyID().getSubjectKeyIdentifier().getOctets()));
            }
        }
        return identifiers;
    }

    private byte[] contentEncryptionKey(Chosen chosen, AlgorithmIdentifier algorithm, int keyLength)
            throws IOException {
        byte[] cek = keys.contentEncryptionKey(chosen.key().keyId(), chosen.info().getEncoded(ASN1Encoding.DER),
                algorithm.getEncoded(ASN1Encoding.DER));
        if (cek.length != keyLength) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, "cannot-recover-key",
                    "the recovered content-encryption key has " + cek.length + " bytes, the cipher needs "
                            + keyLength);
        }
        return cek;
    }

    private static InputStream encryptedContent(EncryptedContentInfoParser content) throws IOException {
        ASN1Encodable encrypted = content.getEncryptedContent(BERTags.OCTET_STRING);
        if (!(encrypted instanceof ASN1OctetStringParser octets)) {
            throw new ProblemException(Kind.MALFORMED, "malformed-cms",
                    "the encrypted content is missing (detached content is not supported)");
        }
        return octets.getOctetStream();
    }

    private static int cbcKeyLength(AlgorithmIdentifier algorithm) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (NISTObjectIdentifiers.id_aes128_CBC.equals(oid)) {
            return 16;
        }
        if (NISTObjectIdentifiers.id_aes192_CBC.equals(oid)) {
            return 24;
        }
        if (NISTObjectIdentifiers.id_aes256_CBC.equals(oid)) {
            return 32;
        }
        throw unsupported(algorithm);
    }

    private static int gcmKeyLength(AlgorithmIdentifier algorithm) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (NISTObjectIdentifiers.id_aes128_GCM.equals(oid)) {
            return 16;
        }
        if (NISTObjectIdentifiers.id_aes192_GCM.equals(oid)) {
            return 24;
        }
        if (NISTObjectIdentifiers.id_aes256_GCM.equals(oid)) {
            return 32;
        }
        throw unsupported(algorithm);
    }

    /** AES-CBC with the JDK provider (CPU intrinsics); CBC has no integrity, so plaintext streams straight out. */
    private static void decryptCbc(AlgorithmIdentifier algorithm, byte[] cek, InputStream in, OutputStream out)
            throws IOException {
        byte[] iv;
        try {
            iv = ASN1OctetString.getInstance(algorithm.getParameters()).getOctets();
        } catch (RuntimeException e) {
            throw new ProblemException(Kind.MALFORMED, "malformed-cms", "the AES-CBC parameters hold no IV");
        }
        if (iv.length != AES_BLOCK) {
            throw new ProblemException(Kind.MALFORMED, "malformed-cms", "the AES-CBC IV is not 16 bytes");
        }
        try {
            Cipher cipher = Cipher.getInstance(AlgorithmPolicy.AES_CBC);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, AlgorithmPolicy.AES), new IvParameterSpec(iv));
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) > 0) {
                byte[] plain = cipher.update(buffer, 0, n);
                if (plain != null) {
                    out.write(plain);
                }
            }
            out.write(cipher.doFinal());
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new ProblemException(Kind.MALFORMED, "decryption-failed",
                    "the content does not decrypt with the recovered key: the message is damaged or truncated");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot do AES-CBC", e);
        }
    }

    /**
     * AES-GCM: BouncyCastle's GCM hands out plaintext as it goes (the JDK's would hold the whole ciphertext on the
     * heap), so its output goes to a sealed staging file and is copied to {@code out} only after the tag verifies.
     */
    private void decryptGcm(AuthEnvelopedDataParser enveloped, AlgorithmIdentifier algorithm, byte[] cek,
            InputStream in, OutputStream out) throws IOException {
        GCMParameters parameters;
        try {
            parameters = GCMParameters.getInstance(algorithm.getParameters());
        } catch (RuntimeException e) {
            throw new ProblemException(Kind.MALFORMED, "malformed-cms", "the AES-GCM parameters are malformed");
        }
        int tagLength = parameters.getIcvLen();
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        try (SealedStagingFile stage = new SealedStagingFile(spool.newFile())) {
            try (OutputStream staged = stage.output()) {
                gcm.init(false, new AEADParameters(new KeyParameter(cek), tagLength * 8, parameters.getNonce()));
                byte[] buffer = new byte[BUFFER];
                byte[] plain = new byte[BUFFER + 2 * AES_BLOCK + tagLength];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    staged.write(plain, 0, gcm.processBytes(buffer, 0, n, plain, 0));
                }
                ASN1SetParser authAttributes = enveloped.getAuthAttrs();
                if (authAttributes != null) {
                    // RFC 5083 authenticates them as additional data ahead of the content, which has streamed by
                    throw new ProblemException(Kind.REFUSED_BY_POLICY, "unsupported-algorithm",
                            "AuthEnvelopedData with authenticated attributes is not supported");
                }
                ASN1OctetString mac = enveloped.getMac();
                if (mac == null || mac.getOctets().length != tagLength) {
                    throw new ProblemException(Kind.MALFORMED, "malformed-cms",
                            "the AuthEnvelopedData has no authentication tag of the announced length");
                }
                byte[] tag = mac.getOctets();
                staged.write(plain, 0, gcm.processBytes(tag, 0, tag.length, plain, 0));
                staged.write(plain, 0, gcm.doFinal(plain, 0));
            } catch (InvalidCipherTextException e) {
                throw new ProblemException(Kind.MALFORMED, "authentication-failed",
                        "the message was altered: its AES-GCM authentication tag does not match, so nothing"
                                + " decrypted is released");
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Kind.MALFORMED, "malformed-cms", "the AES-GCM parameters are unusable");
            }
            try (InputStream released = stage.input()) {
                released.transferTo(out);
            }
        }
    }

    private static ProblemException unsupported(AlgorithmIdentifier algorithm) {
        return new ProblemException(Kind.REFUSED_BY_POLICY, "unsupported-algorithm",
                "the content is encrypted with " + name(algorithm)
                        + "; only AES-CBC (enveloped-data) and AES-GCM (authEnveloped-data) are decrypted");
    }

    private static String name(AlgorithmIdentifier algorithm) {
        try {
            return AlgorithmPolicy.algorithmName(algorithm);
        } catch (RuntimeException e) {
            return algorithm.getAlgorithm().getId();
        }
    }

    private static ProblemException malformedCms(Exception cause) {
        return new ProblemException(Kind.MALFORMED, "malformed-cms",
                "the S/MIME body is not a complete, well-formed CMS EnvelopedData or AuthEnvelopedData", List.of(),
                cause);
    }

    private record Identifier(IssuerAndSerialNumber issuerAndSerial, byte[] subjectKeyIdentifier) {
    }

    private record Chosen(RecipientInfo info, RecipientKey key) {
    }

    /**
     * @param key the key that opened the message
     * @param contentEncryption the content cipher's OID
     * @param authenticated whether the content was integrity-protected (AES-GCM)
     */
    public record Decryption(RecipientKey key, ASN1ObjectIdentifier contentEncryption, boolean authenticated) {
    }
}
