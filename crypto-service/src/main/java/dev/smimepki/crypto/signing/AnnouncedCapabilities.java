package dev.smimepki.crypto.signing;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * The SMIMECapabilities signed attribute (RFC 8551 section 2.5.2) of every signature we make: the content ciphers
 * the signer can read, strongest first. AES-GCM only when configured (see
 * {@link dev.smimepki.crypto.CryptoConfig#announceGcm()}): the signer may read mail in Thunderbird, whose NSS cannot
 * open AuthEnvelopedData, and correspondents encrypt with what we announce.
 */
final class AnnouncedCapabilities {
    private AnnouncedCapabilities() {
    }

    static AttributeTable asSignedAttributes(boolean announceGcm) {
        SMIMECapabilityVector capabilities = new SMIMECapabilityVector();
        if (announceGcm) {
            capabilities.addCapability(CMSAlgorithm.AES256_GCM);
        }
        capabilities.addCapability(CMSAlgorithm.AES256_CBC);
        capabilities.addCapability(CMSAlgorithm.AES128_CBC);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new SMIMECapabilitiesAttribute(capabilities));
        return new AttributeTable(attributes);
    }
}
