package dev.smimepki.ca.profile;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;

import dev.smimepki.core.PolicyViolation;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.runtime.problem.Problem;

/**
 * Checks a to-be-signed subscriber certificate against the rules that make every mail client accept it (DOMAIN.md,
 * S/MIME Baseline Requirements section 7.1): each broken rule is one violation with a stable check name. Run on the
 * candidate before the CA signs it, so a wrong certificate is refused rather than issued.
 */
public final class CertificateLint {
    private static final String HTTP = "http://";
    private static final Set<ASN1ObjectIdentifier> SUBJECT_ATTRIBUTES = Set.of(BCStyle.CN, BCStyle.EmailAddress);
    private static final Set<String> FORBIDDEN_EKUS = Set.of(KeyPurposeId.id_kp_serverAuth.getId(),
            KeyPurposeId.anyExtendedKeyUsage.getId());
    private static final String EMAIL_PROTECTION = KeyPurposeId.id_kp_emailProtection.getId();
    private static final int MAX_SERIAL_OCTETS = 20;
    private static final int MIN_SERIAL_BITS = 64;

    private CertificateLint() {
    }

    /**
     * What the certificate must be.
     *
     * @param profile the profile requested
     * @param usage the usage requested
     * @param mailboxes every mailbox the certificate must name, and no other
     * @param issuer the certificate of the CA that is to sign it
     */
    public record Expectation(SmimeProfile profile, CertificateUsage usage, List<EmailAddress> mailboxes,
            Certificate issuer) {
    }

    /** Every rule the candidate breaks; empty when it may be signed. */
    public static List<Problem.Violation> check(X509CertificateHolder candidate, Expectation expected) {
        List<Problem.Violation> violations = new ArrayList<>();
        Certificate parsed = Certificate.of(encoded(candidate));
        Extensions extensions = candidate.getExtensions() == null
                ? new Extensions(new Extension[0])
                : candidate.getExtensions();

        if (candidate.getVersionNumber() != 3) {
            add(violations, "version", "version.v3", "the certificate must be X.509 version 3");
        }
        checkSerial(candidate.getSerialNumber(), violations);
        checkValidity(parsed, expected.issuer(), violations);
        checkIssuer(candidate, expected.issuer(), violations);
        checkSubject(candidate.getSubject(), expected.mailboxes(), violations);
        checkSubjectAltName(extensions, expected.mailboxes(), violations);
        KeyAlgorithm key = checkKey(parsed, violations);
        checkKeyUsage(extensions, parsed, key, expected, violations);
        checkExtendedKeyUsage(parsed, expected.profile(), violations);
        checkBasicConstraints(extensions, violations);
        checkKeyIdentifiers(parsed, expected.issuer(), violations);
        checkPolicies(extensions, expected.profile(), violations);
        checkRevocationPointers(extensions, violations);
        if (!AlgorithmPolicy.isAcceptedSignatureAlgorithm(candidate.getSignatureAlgorithm())) {
            add(violations, "signatureAlgorithm", "signature.algorithm", "signature algorithm "
                    + AlgorithmPolicy.algorithmName(candidate.getSignatureAlgorithm())
                    + " is not SHA-256 or stronger with RSA or ECDSA");
        }
        return violations;
    }

    private static void checkSerial(BigInteger serial, List<Problem.Violation> violations) {
        if (serial.signum() <= 0) {
            add(violations, "serialNumber", "serial.positive", "the serial number must be positive");
        }
        if (serial.bitLength() < MIN_SERIAL_BITS) {
            add(violations, "serialNumber", "serial.entropy",
                    "the serial number must carry at least " + MIN_SERIAL_BITS + " random bits");
        }
        if (serial.toByteArray().length > MAX_SERIAL_OCTETS) {
            add(violations, "serialNumber", "serial.length",
                    "the serial number must fit in " + MAX_SERIAL_OCTETS + " octets");
        }
    }

    private static void checkValidity(Certificate candidate, Certificate issuer, List<Problem.Violation> violations) {
        Duration validity = Duration.between(candidate.notBefore(), candidate.notAfter());
        if (validity.compareTo(Duration.ofDays(SmimeProfile.MAX_VALIDITY_DAYS)) > 0) {
            add(violations, "validity", "validity.maximum", "validity of " + validity.toDays()
                    + " days exceeds the maximum of " + SmimeProfile.MAX_VALIDITY_DAYS + " days");
        }
        if (validity.isNegative() || validity.isZero()) {
            add(violations, "validity", "validity.order", "notAfter must be after notBefore");
        }
        if (candidate.notAfter().isAfter(issuer.notAfter()) || candidate.notBefore().isBefore(issuer.notBefore())) {
            add(violations, "validity", "validity.withinIssuer",
                    "the certificate must not be valid outside the validity of its CA (until " + issuer.notAfter()
                            + ")");
        }
    }

    private static void checkIssuer(X509CertificateHolder candidate, Certificate issuer,
            List<Problem.Violation> violations) {
        X500Name issuerSubject = X500Name.getInstance(issuer.x509().getSubjectX500Principal().getEncoded());
        if (!candidate.getIssuer().equals(issuerSubject)) {
            add(violations, "issuer", "issuer.matchesCa", "the issuer name must be the subject of the signing CA");
        }
    }

    private static void checkSubject(X500Name subject, List<EmailAddress> mailboxes,
            List<Problem.Violation> violations) {
        int commonNames = 0;
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                ASN1ObjectIdentifier type = attribute.getType();
                if (!SUBJECT_ATTRIBUTES.contains(type)) {
                    add(violations, "subject", "subject.attributes", "subject attribute "
                            + BCStyle.INSTANCE.oidToDisplayName(type) + " is not allowed; only CN and emailAddress");
                } else if (BCStyle.CN.equals(type)) {
                    commonNames++;
                } else if (!mailboxes.contains(mailbox(attribute.getValue()))) {
                    add(violations, "subject", "subject.emailAddressInMailboxes",
                            "subject emailAddress is not one of the requested mailboxes");
                }
            }
        }
        if (commonNames != 1) {
            add(violations, "subject", "subject.commonName", "the subject must have exactly one CN");
        }
        if (subject.getRDNs(BCStyle.EmailAddress).length == 0) {
            add(violations, "subject", "subject.emailAddress",
                    "the subject must carry the mailbox as emailAddress (Apple Mail reads it there)");
        }
    }

    private static void checkSubjectAltName(Extensions extensions, List<EmailAddress> mailboxes,
            List<Problem.Violation> violations) {
        GeneralNames san = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (san == null) {
            add(violations, "subjectAltName", "subjectAltName.present",
                    "subjectAltName with every mailbox as rfc822Name is required (RFC 8550 section 3)");
            return;
        }
        Set<EmailAddress> named = new HashSet<>();
        for (GeneralName name : san.getNames()) {
            if (name.getTagNo() != GeneralName.rfc822Name) {
                add(violations, "subjectAltName", "subjectAltName.rfc822NameOnly",
                        "subjectAltName may hold rfc822Name entries only");
            } else {
                EmailAddress address = mailbox(name.getName());
                if (address == null || !mailboxes.contains(address)) {
                    add(violations, "subjectAltName", "subjectAltName.requestedMailboxes",
                            "subjectAltName names a mailbox that was not requested");
                }
                named.add(address);
            }
        }
        for (EmailAddress mailbox : mailboxes) {
            if (!named.contains(mailbox)) {
                add(violations, "subjectAltName", "subjectAltName.everyMailbox",
                        "mailbox " + mailbox + " is missing from subjectAltName");
            }
        }
    }

    private static KeyAlgorithm checkKey(Certificate candidate, List<Problem.Violation> violations) {
        try {
            return KeyAlgorithm.of(candidate.publicKey());
        } catch (PolicyViolation e) {
            e.violations().forEach(message -> add(violations, "subjectPublicKeyInfo", "key.accepted", message));
            return null;
        }
    }

    private static void checkKeyUsage(Extensions extensions, Certificate candidate, KeyAlgorithm key,
            Expectation expected, List<Problem.Violation> violations) {
        Extension keyUsage = extensions.getExtension(Extension.keyUsage);
        if (keyUsage == null) {
            add(violations, "keyUsage", "keyUsage.present",
                    "keyUsage is required (macOS refuses S/MIME certificates without it)");
            return;
        }
        if (!keyUsage.isCritical()) {
            add(violations, "keyUsage", "keyUsage.critical", "keyUsage must be critical");
        }
        if (key == null) {
            return;
        }
        Set<KeyUsage> wanted = expected.profile().keyUsages(key, expected.usage());
        if (!candidate.keyUsages().equals(wanted)) {
            add(violations, "keyUsage", "keyUsage.forKeyAndUsage", "keyUsage " + names(candidate.keyUsages())
                    + " does not match " + names(wanted) + " for a " + key + " " + expected.usage().wireName()
                    + " certificate in profile " + expected.profile().wireName());
        }
    }

    private static void checkExtendedKeyUsage(Certificate candidate, SmimeProfile profile,
            List<Problem.Violation> violations) {
        List<String> ekus = candidate.extendedKeyUsages();
        if (!ekus.contains(EMAIL_PROTECTION)) {
            add(violations, "extKeyUsage", "extKeyUsage.emailProtection", "extKeyUsage must contain emailProtection");
        }
        if (ekus.stream().anyMatch(FORBIDDEN_EKUS::contains)) {
            add(violations, "extKeyUsage", "extKeyUsage.forbidden",
                    "extKeyUsage must not contain serverAuth or anyExtendedKeyUsage");
        }
        if (profile == SmimeProfile.STRICT && !ekus.equals(List.of(EMAIL_PROTECTION))) {
            add(violations, "extKeyUsage", "extKeyUsage.strictOnlyEmailProtection",
                    "the strict profile allows emailProtection only");
        }
    }

    private static void checkBasicConstraints(Extensions extensions, List<Problem.Violation> violations) {
        BasicConstraints basicConstraints = BasicConstraints.fromExtensions(extensions);
        if (basicConstraints == null) {
            add(violations, "basicConstraints", "basicConstraints.present", "basicConstraints cA=FALSE is required");
        } else if (basicConstraints.isCA()) {
            add(violations, "basicConstraints", "basicConstraints.notCa", "a subscriber certificate must not be a CA");
        }
    }

    private static void checkKeyIdentifiers(Certificate candidate, Certificate issuer,
            List<Problem.Violation> violations) {
        if (candidate.subjectKeyIdentifier().isEmpty()) {
            add(violations, "subjectKeyIdentifier", "subjectKeyIdentifier.present",
                    "subjectKeyIdentifier is required");
        }
        byte[] issuerKeyId = issuer.subjectKeyIdentifier().orElse(null);
        if (candidate.authorityKeyIdentifier().map(id -> !Arrays.equals(id, issuerKeyId)).orElse(true)) {
            add(violations, "authorityKeyIdentifier", "authorityKeyIdentifier.matchesIssuer",
                    "authorityKeyIdentifier must be present and equal the CA's subjectKeyIdentifier");
        }
    }

    private static void checkPolicies(Extensions extensions, SmimeProfile profile,
            List<Problem.Violation> violations) {
        CertificatePolicies policies = CertificatePolicies.fromExtensions(extensions);
        if (policies == null || policies.getPolicyInformation(profile.policy()) == null) {
            add(violations, "certificatePolicies", "certificatePolicies.mailboxValidated",
                    "certificatePolicies must contain " + profile.policy().getId() + " (mailbox-validated "
                            + profile.wireName() + ")");
        }
    }

    private static void checkRevocationPointers(Extensions extensions, List<Problem.Violation> violations) {
        CRLDistPoint crl = CRLDistPoint.fromExtensions(extensions);
        boolean httpCrl = crl != null && Arrays.stream(crl.getDistributionPoints())
                .map(DistributionPoint::getDistributionPoint)
                .filter(name -> name != null && name.getType() == DistributionPointName.FULL_NAME)
                .flatMap(name -> Arrays.stream(GeneralNames.getInstance(name.getName()).getNames()))
                .anyMatch(CertificateLint::isHttpUri);
        if (!httpCrl) {
            add(violations, "cRLDistributionPoints", "cRLDistributionPoints.http",
                    "cRLDistributionPoints with an HTTP URL is required");
        }
        AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(extensions);
        AccessDescription[] access = aia == null ? new AccessDescription[0] : aia.getAccessDescriptions();
        if (Arrays.stream(access).noneMatch(a -> AccessDescription.id_ad_ocsp.equals(a.getAccessMethod())
                && isHttpUri(a.getAccessLocation()))) {
            add(violations, "authorityInfoAccess", "authorityInfoAccess.ocsp",
                    "authorityInfoAccess with an HTTP OCSP URL is required");
        }
        if (Arrays.stream(access).noneMatch(a -> AccessDescription.id_ad_caIssuers.equals(a.getAccessMethod())
                && isHttpUri(a.getAccessLocation()))) {
            add(violations, "authorityInfoAccess", "authorityInfoAccess.caIssuers",
                    "authorityInfoAccess with an HTTP caIssuers URL is required");
        }
    }

    private static boolean isHttpUri(GeneralName name) {
        return name.getTagNo() == GeneralName.uniformResourceIdentifier
                && ASN1IA5String.getInstance(name.getName()).getString().startsWith(HTTP);
    }

    private static EmailAddress mailbox(ASN1Encodable value) {
        return value instanceof ASN1String string ? EmailAddress.tryParse(string.getString()).orElse(null) : null;
    }

    private static String names(Set<KeyUsage> usages) {
        return usages.stream().map(KeyUsage::wireName).sorted().collect(Collectors.joining(", ", "[", "]"));
    }

    private static byte[] encoded(X509CertificateHolder candidate) {
        try {
            return candidate.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("the candidate certificate does not encode", e);
        }
    }

    private static void add(List<Problem.Violation> violations, String field, String check, String message) {
        violations.add(new Problem.Violation(field, check, message));
    }
}
