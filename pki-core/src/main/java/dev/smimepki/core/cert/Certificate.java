package dev.smimepki.core.cert;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.AlgorithmPolicy;

/**
 * An immutable X.509 certificate, fully parsed on construction so that hostile input fails there, as a
 * {@link PkiFormatException}, and never later in a getter. Equal when the DER is equal.
 */
public final class Certificate {
    private static final String NOT_A_CERTIFICATE = "not a DER-encoded X.509 certificate";
    /** Show emailAddress by name, as OpenSSL does, instead of RFC 2253's hex-encoded OID form. */
    private static final Map<String, String> SUBJECT_KEYWORDS = Map.of(BCStyle.EmailAddress.getId(), "emailAddress");
    private static final String EMAIL_PROTECTION = KeyPurposeId.id_kp_emailProtection.getId();
    /** Immutable, so one parse serves every caller with the same bytes. */
    static final RecentlyParsed RECENT = new RecentlyParsed();

    private final byte[] der;
    private final X509Certificate x509;
    private final String fingerprintSha256;
    private final String subject;
    private final String issuer;
    private final List<String> emails;
    private final boolean hasKeyUsageExtension;
    private final Set<KeyUsage> keyUsages;
    private final List<String> extendedKeyUsages;
    private final boolean ca;
    private final Instant notBefore;
    private final Instant notAfter;
    private final PublicKey publicKey;
    private final String keyDescription;
    private final byte[] subjectKeyIdentifier;
    private final byte[] authorityKeyIdentifier;
    private final AlgorithmIdentifier signatureAlgorithm;

    private Certificate(byte[] der, org.bouncycastle.asn1.x509.Certificate asn1) throws GeneralSecurityException {
        this.der = der;
        this.x509 = new JcaX509CertificateConverter().setProvider(BouncyCastle.provider())
                .getCertificate(new X509CertificateHolder(asn1));
        this.fingerprintSha256 = HexFormat.of().formatHex(
                MessageDigest.getInstance(AlgorithmPolicy.FINGERPRINT_DIGEST).digest(der));
        this.subject = x509.getSubjectX500Principal().getName(X500Principal.RFC2253, SUBJECT_KEYWORDS);
        this.issuer = x509.getIssuerX500Principal().getName(X500Principal.RFC2253, SUBJECT_KEYWORDS);
        Extensions extensions = asn1.getTBSCertificate().getExtensions();
        if (extensions == null) {
            extensions = new Extensions(new Extension[0]);
        }
        this.emails = emails(asn1, extensions);
        boolean[] keyUsageBits = x509.getKeyUsage();
        this.hasKeyUsageExtension = keyUsageBits != null;
        EnumSet<KeyUsage> usages = EnumSet.noneOf(KeyUsage.class);
        for (KeyUsage usage : KeyUsage.values()) {
            if (keyUsageBits != null && usage.bit() < keyUsageBits.length && keyUsageBits[usage.bit()]) {
                usages.add(usage);
            }
        }
        this.keyUsages = Collections.unmodifiableSet(usages);
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(extensions);
        this.extendedKeyUsages = eku == null
                ? List.of()
                : Arrays.stream(eku.getUsages()).map(KeyPurposeId::getId).toList();
        BasicConstraints basicConstraints = BasicConstraints.fromExtensions(extensions);
        this.ca = basicConstraints != null && basicConstraints.isCA();
        this.notBefore = instantOf(asn1.getStartDate());
        this.notAfter = instantOf(asn1.getEndDate());
        this.publicKey = x509.getPublicKey();
        if (publicKey == null) {
            throw new IllegalArgumentException("unreadable public key");
        }
        this.keyDescription = AlgorithmPolicy.describe(publicKey);
        SubjectKeyIdentifier ski = SubjectKeyIdentifier.fromExtensions(extensions);
        this.subjectKeyIdentifier = ski == null ? null : ski.getKeyIdentifier();
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(extensions);
        this.authorityKeyIdentifier = aki == null ? null : aki.getKeyIdentifierOctets();
        this.signatureAlgorithm = asn1.getSignatureAlgorithm();
    }

    /**
     * Parses DER; the encoding must be exactly DER (RFC 5280 section 4.1) so that the fingerprint is canonical. The
     * same bytes again answer the same instance while it is among the {@link RecentlyParsed#CAPACITY} parsed last.
     */
    public static Certificate of(byte[] der) {
        if (der == null || der.length == 0) {
            throw new PkiFormatException(NOT_A_CERTIFICATE + ": input is empty");
        }
        Certificate known = RECENT.find(der);
        if (known != null) {
            return known;
        }
        byte[] copy = der.clone();
        org.bouncycastle.asn1.x509.Certificate asn1;
        try {
            asn1 = org.bouncycastle.asn1.x509.Certificate.getInstance(ASN1Primitive.fromByteArray(copy));
            if (asn1 == null) {
                throw new PkiFormatException(NOT_A_CERTIFICATE);
            }
            if (!Arrays.equals(copy, asn1.getEncoded(ASN1Encoding.DER))) {
                throw new PkiFormatException(NOT_A_CERTIFICATE + ": encoding is not DER");
            }
            Certificate certificate = new Certificate(copy, asn1);
            RECENT.keep(copy, certificate);
            return certificate;
        } catch (PkiFormatException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException | StackOverflowError e) {
            // Hostile DER surfaces as any of these from BouncyCastle or the JDK; deep nesting as stack overflow.
            throw new PkiFormatException(NOT_A_CERTIFICATE, e);
        }
    }

    public static Certificate of(X509Certificate certificate) {
        try {
            return of(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new PkiFormatException(NOT_A_CERTIFICATE, e);
        }
    }

    /** Parses exactly one {@code CERTIFICATE} PEM block. */
    public static Certificate fromPem(String pem) {
        return of(Pem.decodeOne(pem, PemType.CERTIFICATE));
    }

    /** Parses an upload body that is either DER or one {@code CERTIFICATE} PEM block. */
    public static Certificate fromPemOrDer(byte[] body) {
        return of(Pem.derOf(body, PemType.CERTIFICATE));
    }

    public byte[] der() {
        return der.clone();
    }

    public String pem() {
        return Pem.encode(PemType.CERTIFICATE, der);
    }

    /** Lower-case hex SHA-256 of the DER, no separators: the platform-wide certificate id. */
    public String fingerprintSha256() {
        return fingerprintSha256;
    }

    public BigInteger serial() {
        return x509.getSerialNumber();
    }

    /** Lower-case hex without leading zeros, as in events and OpenSSL's {@code -serial} (lower-cased). */
    public String serialHex() {
        return x509.getSerialNumber().toString(16);
    }

    /** RFC 2253 form, most specific RDN first, emailAddress by name. */
    public String subject() {
        return subject;
    }

    public String issuer() {
        return issuer;
    }

    public boolean isSelfIssued() {
        return x509.getSubjectX500Principal().equals(x509.getIssuerX500Principal());
    }

    /**
     * The mailboxes, as written: SAN rfc822Name values in order, then subject emailAddress values not already
     * present. Duplicates under RFC 8550 matching (domain case-insensitive) appear once, first spelling kept.
     */
    public List<String> emails() {
        return emails;
    }

    /** Whether the certificate names this mailbox (RFC 8550 matching), e.g. the From address of a signed mail. */
    public boolean coversEmail(EmailAddress address) {
        return emails.stream().anyMatch(address::matches);
    }

    /** Whether a keyUsage extension is present at all; macOS refuses S/MIME certificates without one. */
    public boolean hasKeyUsageExtension() {
        return hasKeyUsageExtension;
    }

    /** The keyUsage bits set; empty when the extension is absent (see {@link #hasKeyUsageExtension()}). */
    public Set<KeyUsage> keyUsages() {
        return keyUsages;
    }

    /** extKeyUsage purpose OIDs in certificate order; empty when the extension is absent. */
    public List<String> extendedKeyUsages() {
        return extendedKeyUsages;
    }

    public boolean hasEmailProtectionEku() {
        return extendedKeyUsages.contains(EMAIL_PROTECTION);
    }

    /** basicConstraints present with cA=TRUE. */
    public boolean isCa() {
        return ca;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** Within validity, both ends inclusive (RFC 5280 section 4.1.2.5). */
    public boolean isValidAt(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** BouncyCastle's X509Certificate; its encoding equals {@link #der()}. */
    public X509Certificate x509() {
        return x509;
    }

    /** E.g. {@code RSA 2048} or {@code EC P-256}: for display, not for decisions (use KeyAlgorithm.of). */
    public String keyDescription() {
        return keyDescription;
    }

    public Optional<byte[]> subjectKeyIdentifier() {
        return Optional.ofNullable(subjectKeyIdentifier).map(byte[]::clone);
    }

    /** The keyIdentifier of the authorityKeyIdentifier extension, if present. */
    public Optional<byte[]> authorityKeyIdentifier() {
        return Optional.ofNullable(authorityKeyIdentifier).map(byte[]::clone);
    }

    /** For {@link AlgorithmPolicy#isAcceptedSignatureAlgorithm}. */
    public AlgorithmIdentifier signatureAlgorithm() {
        return signatureAlgorithm;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Certificate other && Arrays.equals(der, other.der);
    }

    @Override
    public int hashCode() {
        return fingerprintSha256.hashCode();
    }

    /** No subject: subjects and addresses are personal data and go to DEBUG logs only. */
    @Override
    public String toString() {
        return "Certificate[serial=" + serialHex() + ", sha256=" + fingerprintSha256 + "]";
    }

    /**
     * A validity time in the form RFC 5280 section 4.1.2.5 requires (UTCTime YYMMDDHHMMSSZ, years 1950-2049, or
     * GeneralizedTime YYYYMMDDHHMMSSZ), read directly: BouncyCastle's and the JDK's getters go through a
     * SimpleDateFormat per call, a tenth of a look-up's CPU in the directory. Any other form is left to BouncyCastle.
     */
    static Instant instantOf(Time time) {
        ASN1Primitive value = time.toASN1Primitive();
        try {
            byte[] encoded = value.getEncoded(ASN1Encoding.DER);
            int length = encoded.length - 2;
            if (value instanceof ASN1UTCTime && length == 13 && encoded[14] == 'Z') {
                int year = digits(encoded, 2, 2);
                return instant(year < 50 ? 2000 + year : 1900 + year, encoded, 4);
            }
            if (value instanceof ASN1GeneralizedTime && length == 15 && encoded[16] == 'Z') {
                return instant(digits(encoded, 2, 4), encoded, 6);
            }
        } catch (IOException | DateTimeException | NumberFormatException e) {
            // not the RFC 5280 form: BouncyCastle's reading below decides
        }
        return time.getDate().toInstant();
    }

    /** Month, day, hour, minute and second, two digits each from {@code at}, in the given year, UTC. */
    private static Instant instant(int year, byte[] encoded, int at) {
        return LocalDateTime.of(year, digits(encoded, at, 2), digits(encoded, at + 2, 2), digits(encoded, at + 4, 2),
                digits(encoded, at + 6, 2), digits(encoded, at + 8, 2)).toInstant(ZoneOffset.UTC);
    }

    private static int digits(byte[] encoded, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = encoded[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new NumberFormatException("not a digit");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static List<String> emails(org.bouncycastle.asn1.x509.Certificate asn1, Extensions extensions) {
        Map<String, String> byMatchKey = new LinkedHashMap<>();
        GeneralNames san = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (san != null) {
            for (GeneralName name : san.getNames()) {
                if (name.getTagNo() == GeneralName.rfc822Name) {
                    String address = ((ASN1String) name.getName()).getString();
                    byMatchKey.putIfAbsent(matchKey(address), address);
                }
            }
        }
        for (RDN rdn : asn1.getSubject().getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (BCStyle.EmailAddress.equals(attribute.getType())
                        && attribute.getValue() instanceof ASN1String value) {
                    byMatchKey.putIfAbsent(matchKey(value.getString()), value.getString());
                }
            }
        }
        return List.copyOf(new ArrayList<>(byMatchKey.values()));
    }

    private static String matchKey(String address) {
        return EmailAddress.tryParse(address).map(EmailAddress::toString).orElse(address);
    }
}
