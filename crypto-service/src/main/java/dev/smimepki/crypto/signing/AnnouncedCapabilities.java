package dev.smimepki.crypto.signing;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * The SMIMECapabilities signed attribute (RFC 8551 section 2.5.2) of every signature we make: the content ciphers
 * crypto-service decrypts for the signer, strongest first, so that correspondents may answer with AES-GCM.
 */
final class AnnouncedCapabilities {
    private AnnouncedCapabilities() {
    }

    static AttributeTable asSignedAttributes() {
        SMIMECapabilityVector capabilities = new SMIMECapabilityVector();
        capabilities.addCapability(CMSAlgorithm.AES256_GCM);
        capabilities.addCapability(CMSAlgorithm.AES128_GCM);
        capabilities.addCapability(CMSAlgorithm.AES256_CBC);
        capabilities.addCapability(CMSAlgorithm.AES192_CBC);
        capabilities.addCapability(CMSAlgorithm.AES128_CBC);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new SMIMECapabilitiesAttribute(capabilities));
        return new AttributeTable(attributes);
    }
}
