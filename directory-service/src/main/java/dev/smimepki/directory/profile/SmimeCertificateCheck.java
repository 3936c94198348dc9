package dev.smimepki.directory.profile;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

import dev.smimepki.core.PolicyViolation;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * The checks a careful mail client applies to a recipient certificate (S/MIME BR, RFC 8550), each with a stable
 * name: used to refuse uploads, to drop harvested junk and to explain why a certificate is not chosen.
 */
public final class SmimeCertificateCheck {
    /** Why harvested junk was dropped: the certificate names no mailbox. */
    public static final String JUNK_NO_MAILBOX = "no-mailbox";
    /** Why harvested junk was dropped: a CA certificate, or one whose key or extended key usage excludes mail. */
    public static final String JUNK_NOT_SMIME = "not-smime";

    private static final Set<KeyUsage> RSA_SMIME_USAGES = EnumSet.of(KeyUsage.DIGITAL_SIGNATURE,
            KeyUsage.NON_REPUDIATION, KeyUsage.KEY_ENCIPHERMENT);
    private static final Set<KeyUsage> EC_SMIME_USAGES = EnumSet.of(KeyUsage.DIGITAL_SIGNATURE,
            KeyUsage.NON_REPUDIATION, KeyUsage.KEY_AGREEMENT);

    /**
     * One failed check.
     *
     * @param check stable name, e.g. {@code keyUsage.present}
     * @param message what failed, for a person
     */
    public record Finding(String check, String message) {
    }

    private SmimeCertificateCheck() {
    }

    /** Every check for an end-entity recipient certificate, validity at {@code now} included, in a fixed order. */
    public static List<Finding> check(Certificate certificate, Instant now) {
        List<Finding> findings = new ArrayList<>(checkProfile(certificate));
        if (now.isAfter(certificate.notAfter())) {
            findings.add(new Finding("validity.expired", "the certificate expired on " + certificate.notAfter()));
        } else if (now.isBefore(certificate.notBefore())) {
            findings.add(new Finding("validity.notYetValid",
                    "the certificate is not valid before " + certificate.notBefore()));
        }
        return findings;
    }

    /** The checks that do not depend on the time: mailbox, CA flag, keyUsage, extKeyUsage, key, signature. */
    public static List<Finding> checkProfile(Certificate certificate) {
        List<Finding> findings = new ArrayList<>();
        if (sanMailboxes(certificate).isEmpty()) {
            findings.add(new Finding("subjectAltName.email",
                    "the subjectAltName has no e-mail address (rfc822Name); clients look the mailbox up there"));
        }
        findings.addAll(checkProfileExceptMailbox(certificate));
        return findings;
    }

    /**
     * {@link #checkProfile} without the subjectAltName check, which reads the extensions again: for a certificate
     * already found by its mailbox (a look-up).
     */
    public static List<Finding> checkProfileExceptMailbox(Certificate certificate) {
        List<Finding> findings = new ArrayList<>();
        if (certificate.isCa()) {
            findings.add(
                    new Finding("basicConstraints.ca", "a CA certificate (cA=TRUE) is not a recipient certificate"));
        }
        if (!certificate.hasKeyUsageExtension()) {
            findings.add(new Finding("keyUsage.present",
                    "the keyUsage extension is missing; macOS and careful clients refuse such certificates"));
        } else {
            unfitKeyUsage(certificate).ifPresent(why -> findings.add(new Finding("keyUsage.fit", why)));
        }
        if (!certificate.extendedKeyUsages().isEmpty() && !certificate.hasEmailProtectionEku()) {
            findings.add(new Finding("extendedKeyUsage.emailProtection",
                    "the extendedKeyUsage extension does not contain emailProtection"));
        }
        try {
            KeyAlgorithm.of(certificate.publicKey());
        } catch (PolicyViolation e) {
            e.violations().forEach(violation -> findings.add(new Finding("key.algorithm", violation)));
        }
        if (!AlgorithmPolicy.isAcceptedSignatureAlgorithm(certificate.signatureAlgorithm())) {
            findings.add(new Finding("signature.algorithm", "signature algorithm "
                    + AlgorithmPolicy.algorithmName(certificate.signatureAlgorithm())
                    + " is not accepted; SHA-256 or stronger with RSA or ECDSA is required"));
        }
        return findings;
    }

    /**
     * Why a harvested certificate is not worth keeping ({@link #JUNK_NO_MAILBOX}, {@link #JUNK_NOT_SMIME}), or empty
     * when it is an S/MIME certificate of some mailbox (it may still be unfit for encryption: the look-up says so).
     */
    public static Optional<String> junk(Certificate certificate) {
        if (certificate.isCa()) {
            return Optional.of(JUNK_NOT_SMIME);
        }
        if (certificate.emails().stream().map(EmailAddress::tryParse).noneMatch(Optional::isPresent)) {
            return Optional.of(JUNK_NO_MAILBOX);
        }
        boolean ekuExcludesMail = !certificate.extendedKeyUsages().isEmpty() && !certificate.hasEmailProtectionEku();
        boolean usageExcludesMail = certificate.hasKeyUsageExtension() && unfitKeyUsage(certificate).isPresent();
        if (ekuExcludesMail || usageExcludesMail) {
            return Optional.of(JUNK_NOT_SMIME);
        }
        return Optional.empty();
    }

    /**
     * Why the certificate's key cannot be encrypted to (RFC 8550 section 4.4.2): RSA needs keyEncipherment, EC
     * keyAgreement (RFC 5480, S/MIME BR); empty when it can.
     */
    public static Optional<String> unfitForEncryption(Certificate certificate) {
        if (!certificate.hasKeyUsageExtension()) {
            return Optional.of("no keyUsage extension, so it is not fit for encryption");
        }
        if (certificate.publicKey() instanceof RSAPublicKey) {
            return certificate.keyUsages().contains(KeyUsage.KEY_ENCIPHERMENT)
                    ? Optional.empty()
                    : Optional.of("keyUsage lacks keyEncipherment: an RSA certificate for signing only");
        }
        if (certificate.publicKey() instanceof ECPublicKey) {
            return certificate.keyUsages().contains(KeyUsage.KEY_AGREEMENT)
                    ? Optional.empty()
                    : Optional.of("keyUsage lacks keyAgreement: an EC certificate for signing only");
        }
        return Optional.of("a " + certificate.keyDescription() + " key cannot be encrypted to");
    }

    /** The mailboxes of the subjectAltName alone (not the subject's emailAddress), normalised. */
    public static List<String> sanMailboxes(Certificate certificate) {
        Extensions extensions = org.bouncycastle.asn1.x509.Certificate.getInstance(certificate.der())
                .getTBSCertificate().getExtensions();
        GeneralNames san = extensions == null
                ? null
                : GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        List<String> mailboxes = new ArrayList<>();
        if (san != null) {
            for (GeneralName name : san.getNames()) {
                if (name.getTagNo() == GeneralName.rfc822Name && name.getName() instanceof ASN1String value) {
                    EmailAddress.tryParse(value.getString()).ifPresent(m -> mailboxes.add(m.toString()));
                }
            }
        }
        return mailboxes;
    }

    private static Optional<String> unfitKeyUsage(Certificate certificate) {
        Set<KeyUsage> usages = certificate.keyUsages();
        String names = usages.stream().map(KeyUsage::wireName).collect(Collectors.joining(", "));
        if (certificate.publicKey() instanceof ECPublicKey) {
            if (usages.contains(KeyUsage.KEY_ENCIPHERMENT)) {
                return Optional.of("keyUsage keyEncipherment is impossible with an EC key; EC encryption "
                        + "certificates carry keyAgreement");
            }
            return usages.stream().anyMatch(EC_SMIME_USAGES::contains)
                    ? Optional.empty()
                    : Optional.of("keyUsage (" + names + ") allows neither signing nor encryption of mail");
        }
        return usages.stream().anyMatch(RSA_SMIME_USAGES::contains)
                ? Optional.empty()
                : Optional.of("keyUsage (" + names + ") allows neither signing nor encryption of mail");
    }
}
