package dev.smimepki.directory.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.KeyUsage;

/**
 * What a look-up needs of a certificate beyond the directory's row: derived from the DER once, when the certificate
 * is stored, so that a look-up does not parse it (parsing was a third of a look-up's CPU). The directory stores
 * them with the certificate and {@link #VERSION} as the rules that derived them; a row of other rules, or of none
 * (written by an older version, or loaded with SQL), is derived again by {@code store.RecipientFactsBackfill}, and
 * until then its look-ups parse the DER.
 *
 * @param keyUsage the keyUsage bit names; empty when the extension is absent
 * @param emails the mailboxes the certificate names, as {@link Certificate#emails()}
 * @param key key type and size, e.g. {@code EC P-256}
 * @param commonName the subject's first CN, if it has one
 * @param unusableBecause why it cannot be encrypted to whatever the time and its status; empty when it can
 */
public record RecipientFacts(List<String> keyUsage, List<String> emails, String key, Optional<String> commonName,
        List<String> unusableBecause) {
    /** Raise it whenever {@link #of} would derive anything differently: stored facts of another version are redone. */
    public static final int VERSION = 1;

    /**
     * Profile checks that make a certificate unusable as a recipient; the mailbox was found, so SAN is not one, and a
     * missing keyUsage is {@link SmimeCertificateCheck#unfitForEncryption}'s.
     */
    private static final Set<String> DISQUALIFYING_CHECKS = Set.of("basicConstraints.ca", "keyUsage.fit",
            "extendedKeyUsage.emailProtection", "key.algorithm", "signature.algorithm");

    public RecipientFacts {
        keyUsage = List.copyOf(keyUsage);
        emails = List.copyOf(emails);
        unusableBecause = List.copyOf(unusableBecause);
    }

    /** The facts of a parsed certificate. */
    public static RecipientFacts of(Certificate certificate) {
        List<String> unusable = new ArrayList<>();
        SmimeCertificateCheck.unfitForEncryption(certificate).ifPresent(unusable::add);
        SmimeCertificateCheck.checkProfileExceptMailbox(certificate).stream()
                .filter(finding -> DISQUALIFYING_CHECKS.contains(finding.check()))
                .forEach(finding -> unusable.add(finding.message()));
        return new RecipientFacts(certificate.keyUsages().stream().map(KeyUsage::wireName).toList(),
                certificate.emails(), certificate.keyDescription(), commonName(certificate), unusable);
    }

    private static Optional<String> commonName(Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.x509().getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            if (rdn.getFirst().getValue() instanceof ASN1String value) {
                return Optional.of(value.getString());
            }
        }
        return Optional.empty();
    }
}
