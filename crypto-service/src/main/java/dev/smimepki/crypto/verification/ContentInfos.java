package dev.smimepki.crypto.verification;

import java.io.IOException;
import java.io.InputStream;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.ContentInfoParser;

/** Reads the content type of a CMS ContentInfo (RFC 5652 section 3) from the first bytes of a stream. */
final class ContentInfos {
    private ContentInfos() {
    }

    /** The content type OID; null when the stream does not start with a ContentInfo. */
    static ASN1ObjectIdentifier contentType(InputStream der) throws IOException {
        ASN1Encodable first = new ASN1StreamParser(der, Integer.MAX_VALUE).readObject();
        if (!(first instanceof ASN1SequenceParser sequence)) {
            return null;
        }
        return new ContentInfoParser(sequence).getContentType();
    }
}
