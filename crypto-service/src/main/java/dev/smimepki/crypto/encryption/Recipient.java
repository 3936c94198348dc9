package dev.smimepki.crypto.encryption;

import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.email.EmailAddress;

/**
 * A mailbox a message is encrypted to, with the certificate the directory chose and what its owner announced.
 *
 * @param mailbox the recipient
 * @param certificate the certificate to encrypt to
 * @param smimeCapabilities algorithm OIDs from the owner's SMIMECapabilities; empty when never announced
 */
public record Recipient(EmailAddress mailbox, Certificate certificate, List<String> smimeCapabilities) {

    public Recipient {
        smimeCapabilities = smimeCapabilities == null ? List.of() : List.copyOf(smimeCapabilities);
    }

    /** Announced AES-256-GCM, so can read AuthEnvelopedData. */
    public boolean readsAesGcm() {
        return smimeCapabilities.contains(CMSAlgorithm.AES256_GCM.getId());
    }

    /** Announced RSAES-OAEP key transport (RFC 3560 section 5). */
    public boolean readsRsaOaep() {
        return smimeCapabilities.contains(PKCSObjectIdentifiers.id_RSAES_OAEP.getId());
    }
}
