package dev.smimepki.directory.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemBlock;
import dev.smimepki.core.pem.PemType;

/** The three upload bodies API.md names, each decoded into the certificates it holds. */
enum UploadFormat {
    /** {@code application/x-pem-file}: one or more {@code CERTIFICATE} blocks (or a {@code PKCS7} block). */
    PEM,
    /** {@code application/pkix-cert}: one DER certificate (a single PEM block is tolerated). */
    DER,
    /** {@code application/pkcs7-mime}: a certs-only SignedData bundle (RFC 8551 section 3.6), DER or PEM. */
    PKCS7;

    static final String PEM_FILE = "application/x-pem-file";
    static final String PKIX_CERT = "application/pkix-cert";
    static final String PKCS7_MIME = "application/pkcs7-mime";
    /** RFC 7468 section 8 labels for a CMS SignedData. */
    private static final List<String> PKCS7_LABELS = List.of("PKCS7", "CMS");
    /** Most certificates one upload may carry: a person's certificate with a long chain fits easily. */
    static final int MAX_CERTIFICATES = 32;

    List<Certificate> decode(byte[] body) {
        if (body == null || body.length == 0) {
            throw new PkiFormatException("the upload is empty");
        }
        List<Certificate> certificates = switch (this) {
            case DER -> List.of(Certificate.fromPemOrDer(body));
            case PEM -> pem(body);
            case PKCS7 -> Pem.isPem(body) ? pem(body) : pkcs7(body);
        };
        if (certificates.isEmpty()) {
            throw new PkiFormatException("the upload holds no certificate");
        }
        if (certificates.size() > MAX_CERTIFICATES) {
            throw new PkiFormatException("the upload holds more than " + MAX_CERTIFICATES + " certificates");
        }
        return certificates;
    }

    private static List<Certificate> pem(byte[] body) {
        List<Certificate> certificates = new ArrayList<>();
        for (PemBlock block : Pem.parse(new String(body, StandardCharsets.ISO_8859_1))) {
            if (PemType.CERTIFICATE.accepts(block.label())) {
                certificates.add(Certificate.of(block.der()));
            } else if (PKCS7_LABELS.contains(block.label())) {
                certificates.addAll(pkcs7(block.der()));
            } else {
                // a private key pasted along with the certificate must never be taken, not even ignored silently
                throw new PkiFormatException("unexpected PEM block " + block.label()
                        + "; only CERTIFICATE and PKCS7 blocks are accepted");
            }
        }
        return certificates;
    }

    private static List<Certificate> pkcs7(byte[] der) {
        SignedData signedData;
        try {
            ContentInfo contentInfo = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der));
            if (contentInfo == null || !CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
                throw new PkiFormatException("not a PKCS#7 SignedData bundle");
            }
            signedData = SignedData.getInstance(contentInfo.getContent());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            if (e instanceof PkiFormatException format) {
                throw format;
            }
            throw new PkiFormatException("not a PKCS#7 SignedData bundle", e);
        }
        ASN1Set set = signedData.getCertificates();
        List<Certificate> certificates = new ArrayList<>();
        if (set != null) {
            for (ASN1Encodable element : set) {
                try {
                    certificates.add(Certificate.of(element.toASN1Primitive().getEncoded(ASN1Encoding.DER)));
                } catch (IOException e) {
                    throw new PkiFormatException("the PKCS#7 bundle holds an unreadable certificate", e);
                }
            }
        }
        return certificates;
    }
}
