package dev.smimepki.crypto.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.crypto.keys.DigestAlgorithm;
import dev.smimepki.crypto.keys.SignatureScheme;
import dev.smimepki.crypto.keys.SignerKeys;
import dev.smimepki.crypto.keys.SigningKey;
import dev.smimepki.crypto.mime.Base64EncodingStream;
import dev.smimepki.crypto.mime.MimeEntity;
import dev.smimepki.crypto.mime.MimeHeaders;
import dev.smimepki.crypto.mime.SpooledMessage;

/**
 * Writes an S/MIME signed message (RFC 8551 section 3.5) from a spooled one, streaming: the content is read from
 * disk once, written out and digested in the same pass; only the signature travels to the key holder.
 */
public final class SmimeSigner {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SignerKeys keys;
    private final boolean announceGcm;

    /** A signer announcing AES-256-CBC and AES-128-CBC, the default. */
    public SmimeSigner(SignerKeys keys) {
        this(keys, false);
    }

    /** {@code announceGcm}: also announce AES-256-GCM, first (see {@link dev.smimepki.crypto.CryptoConfig}). */
    public SmimeSigner(SignerKeys keys, boolean announceGcm) {
        this.keys = keys;
        this.announceGcm = announceGcm;
    }

    /**
     * Signs the message with the key; the message fields (From, To, Subject...) stay outside the signature, the
     * content fields and body go inside it.
     */
    public void sign(SpooledMessage message, SigningKey key, SignatureScheme scheme, DigestAlgorithm digest,
            SignatureMode mode, OutputStream out) throws IOException {
        MimeEntity entity = message.message();
        CMSSignedDataStreamGenerator generator = generator(key, scheme, digest);
        MimeHeaders.write(entity.headers().messageFields(), out);
        ascii(out, "MIME-Version: 1.0\r\n");
        try {
            if (mode == SignatureMode.DETACHED) {
                writeDetached(entity, generator, digest, out);
            } else {
                writeOpaque(entity, generator, out);
            }
        } catch (CMSException e) {
            throw new IllegalStateException("cannot create the signature", e);
        }
    }

    private void writeDetached(MimeEntity entity, CMSSignedDataStreamGenerator generator, DigestAlgorithm digest,
            OutputStream out) throws IOException, CMSException {
        String boundary = "----=_smime_" + HexFormat.of().formatHex(randomBytes());
        ascii(out, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg="
                + digest.micalg() + ";\r\n\tboundary=\"" + boundary + "\"\r\n\r\n");
        ascii(out, "This is an S/MIME signed message\r\n\r\n--" + boundary + "\r\n");
        ByteArrayOutputStream signature = new ByteArrayOutputStream();
        try (OutputStream signed = generator.open(signature, false)) {
            writeInnerPart(entity, new TeeOutputStream(out, signed));
        }
        ascii(out, "\r\n--" + boundary + "\r\n");
        ascii(out, "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n");
        try (OutputStream base64 = new Base64EncodingStream(out)) {
            base64.write(signature.toByteArray());
        }
        ascii(out, "\r\n\r\n--" + boundary + "--\r\n");
    }

    private void writeOpaque(MimeEntity entity, CMSSignedDataStreamGenerator generator, OutputStream out)
            throws IOException, CMSException {
        ascii(out, "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=\"smime.p7m\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n");
        try (OutputStream base64 = new Base64EncodingStream(out);
                OutputStream signed = generator.open(base64, true)) {
            writeInnerPart(entity, signed);
        }
        out.write(CRLF);
    }

    /** The signed MIME entity: the content fields (or the RFC 2045 default), an empty line, the body. */
    private static void writeInnerPart(MimeEntity entity, OutputStream out) throws IOException {
        entity.writeContent(out);
    }

    private CMSSignedDataStreamGenerator generator(SigningKey key, SignatureScheme scheme, DigestAlgorithm digest) {
        try {
            SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(
                            new DefaultSignedAttributeTableGenerator(
                                    AnnouncedCapabilities.asSignedAttributes(announceGcm)))
                    .build(new RemoteContentSigner(keys, key.keyId(), scheme, digest),
                            new JcaX509CertificateHolder(key.certificate().x509()));
            CMSSignedDataStreamGenerator generator = new CMSSignedDataStreamGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            List<X509CertificateHolder> certificates = new ArrayList<>();
            for (Certificate certificate : key.chain().certificates()) {
                certificates.add(new X509CertificateHolder(certificate.der()));
            }
            certificates.add(0, new X509CertificateHolder(key.certificate().der()));
            generator.addCertificates(new CollectionStore<>(certificates));
            return generator;
        } catch (OperatorCreationException | CertificateEncodingException | IOException | CMSException e) {
            throw new IllegalStateException("cannot prepare the signature", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes to two streams: the message being assembled and the signature generator's digest. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
