package dev.smimepki.crypto.encryption;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.util.List;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.crypto.BouncyCastleProviders;
import dev.smimepki.crypto.mime.Base64EncodingStream;
import dev.smimepki.crypto.mime.HeaderField;
import dev.smimepki.crypto.mime.MimeEntity;

/**
 * Writes an S/MIME encrypted message (RFC 8551 section 3.3) from a spooled one, streaming: the message fields stay
 * outside (Bcc dropped, so recipients do not learn each other's blind copies), the content fields and body are
 * encrypted. The choices follow what every recipient can read (DOMAIN.md "What real clients can and cannot read").
 */
public final class SmimeEncryptor {
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * AES-256-GCM AuthEnvelopedData when every recipient announced it, else AES-256-CBC EnvelopedData; per recipient
     * RSA PKCS#1 v1.5 key transport (RSAES-OAEP when that recipient announced it) or ECDH ephemeral-static with
     * AES-256 key wrap.
     */
    public static boolean usesGcm(List<Recipient> recipients) {
        return !recipients.isEmpty() && recipients.stream().allMatch(Recipient::readsAesGcm);
    }

    public void encrypt(MimeEntity entity, List<Recipient> recipients, OutputStream out) throws IOException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        boolean gcm = usesGcm(recipients);
        for (HeaderField field : entity.headers().messageFields()) {
            if (!field.is("Bcc")) {
                out.write(field.raw());
            }
        }
        ascii(out, "MIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=" + (gcm ? "authEnveloped-data" : "enveloped-data")
                + "; name=\"smime.p7m\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n");
        try (OutputStream base64 = new Base64EncodingStream(out);
                OutputStream content = open(recipients, gcm, base64)) {
            entity.writeContent(content);
        } catch (CMSException | OperatorCreationException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot encrypt to " + recipients.stream().map(Recipient::mailbox).toList(),
                    e);
        }
        out.write(CRLF);
    }

    private static OutputStream open(List<Recipient> recipients, boolean gcm, OutputStream out)
            throws CMSException, OperatorCreationException, CertificateEncodingException, IOException {
        if (gcm) {
            CMSAuthEnvelopedDataStreamGenerator generator = new CMSAuthEnvelopedDataStreamGenerator();
            for (Recipient recipient : recipients) {
                generator.addRecipientInfoGenerator(recipientInfo(recipient));
            }
            // the JDK's GCM streams when encrypting (it buffers only when decrypting)
            OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                    CMSAlgorithm.AES256_GCM).build();
            return generator.open(out, encryptor);
        }
        CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
        for (Recipient recipient : recipients) {
            generator.addRecipientInfoGenerator(recipientInfo(recipient));
        }
        // default (JDK) provider: its AES uses CPU intrinsics
        OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build();
        return generator.open(out, encryptor);
    }

    private static RecipientInfoGenerator recipientInfo(Recipient recipient) throws CertificateEncodingException {
        KeyAlgorithm key = KeyAlgorithm.of(recipient.certificate().publicKey());
        if (key.isRsa()) {
            if (recipient.readsRsaOaep()) {
                return new JceKeyTransRecipientInfoGenerator(recipient.certificate().x509(), oaepSha256())
                        .setProvider(BouncyCastleProviders.forCms());
            }
            return new JceKeyTransRecipientInfoGenerator(recipient.certificate().x509());
        }
        // a fresh key pair on the recipient's curve per message and recipient: ephemeral-static ECDH (RFC 5753);
        // BouncyCastle generates EC keys much faster than the JDK
        KeyPair ephemeral = KeyPairs.generate(key);
        return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                .addRecipient(recipient.certificate().x509())
                .setProvider(BouncyCastleProviders.forCms());
    }

    /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 4055 section 4.1), the empty label. */
    private static AlgorithmIdentifier oaepSha256() {
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, new RSAESOAEPparams(sha256,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256),
                RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
    }

    private static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
}
