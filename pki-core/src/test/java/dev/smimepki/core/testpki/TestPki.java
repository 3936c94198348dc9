package dev.smimepki.core.testpki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;

/**
 * A root CA and an issuing CA generated at run time, with validity relative to now (checked-in certificates expire
 * and break CI), and a factory for S/MIME end-entity certificates.
 */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration CA_BACKDATE = Duration.ofDays(730);
    private static final String RSA = "RSA";
    private static final String EC = "EC";

    private final TestCa root;
    private final TestCa issuingCa;

    private TestPki(KeyAlgorithm caKeys) {
        Instant now = Instant.now();
        KeyPair rootKeys = KeyPairs.generate(caKeys);
        X500Name rootName = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "smime-pki tests").addRDN(BCStyle.CN, "smime-pki Test Root CA").build();
        Certificate rootCert = caCertificate(rootName, rootKeys.getPublic(), rootName, rootKeys, null,
                now.minus(CA_BACKDATE), now.plus(Duration.ofDays(3650)), null);
        this.root = new TestCa(rootCert, rootKeys);

        KeyPair issuingKeys = KeyPairs.generate(caKeys);
        X500Name issuingName = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "smime-pki tests").addRDN(BCStyle.CN, "smime-pki Test Issuing CA").build();
        Certificate issuingCert = caCertificate(issuingName, issuingKeys.getPublic(), rootName, rootKeys, rootCert,
                now.minus(CA_BACKDATE), now.plus(Duration.ofDays(1825)), 0);
        this.issuingCa = new TestCa(issuingCert, issuingKeys);
    }

    /** A fresh PKI with RSA-2048 CA keys. */
    public static TestPki create() {
        return create(KeyAlgorithm.RSA_2048);
    }

    public static TestPki create(KeyAlgorithm caKeys) {
        return new TestPki(caKeys);
    }

    /** One PKI per JVM for tests that only need some valid chain; saves the CA key generation. */
    public static TestPki shared() {
        return Shared.INSTANCE;
    }

    public TestCa root() {
        return root;
    }

    public TestCa issuingCa() {
        return issuingCa;
    }

    /** Issuing CA, then root: the chain every end entity carries. */
    public CertificateChain chain() {
        return CertificateChain.of(issuingCa.certificate(), root.certificate());
    }

    /** A default S/MIME certificate for these mailboxes. */
    public EndEntity issue(String... emails) {
        return issue(EndEntitySpec.forEmails(emails));
    }

    public EndEntity issue(EndEntitySpec spec) {
        KeyPair keyPair = spec.keyPair != null ? spec.keyPair : KeyPairs.generate(spec.keyAlgorithm);
        Instant now = Instant.now();
        Instant notBefore = spec.notBefore != null ? spec.notBefore : now.minus(Duration.ofHours(1));
        Instant notAfter = spec.notAfter != null ? spec.notAfter : now.plus(Duration.ofDays(365));

        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        String commonName = spec.commonName != null
                ? spec.commonName
                : spec.emails.isEmpty() ? "Test User" : spec.emails.get(0);
        subject.addRDN(BCStyle.CN, commonName);
        List<String> subjectEmails = spec.subjectEmails != null
                ? spec.subjectEmails
                : spec.emails.isEmpty() ? List.of() : List.of(spec.emails.get(0));
        subjectEmails.forEach(email -> subject.addRDN(BCStyle.EmailAddress, email));

        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(issuingCa.certificate().x509().getSubjectX500Principal().getEncoded()),
                    spec.serial != null ? spec.serial : randomSerial(), Date.from(notBefore), Date.from(notAfter),
                    subject.build(), keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (spec.includeKeyUsage) {
                Set<KeyUsage> usages = spec.keyUsages != null ? spec.keyUsages : defaultUsages(keyPair.getPublic());
                builder.addExtension(Extension.keyUsage, true, KeyUsage.toExtension(usages));
            }
            if (!spec.extendedKeyUsages.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(spec.extendedKeyUsages
                        .stream().map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                        .toArray(KeyPurposeId[]::new)));
            }
            if (spec.includeSan && !spec.emails.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(spec.emails.stream()
                        .map(email -> new GeneralName(GeneralName.rfc822Name, email)).toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keyPair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuingCa.certificate().x509()));
            if (spec.crlDistributionPoint != null) {
                GeneralName url = new GeneralName(GeneralName.uniformResourceIdentifier, spec.crlDistributionPoint);
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[]{
                        new DistributionPoint(new DistributionPointName(new GeneralNames(url)), null, null)}));
            }
            if (spec.ocspResponder != null) {
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, spec.ocspResponder))));
            }
            String signatureAlgorithm = spec.signatureAlgorithm != null
                    ? spec.signatureAlgorithm
                    : KeyAlgorithm.of(issuingCa.certificate().publicKey()).signatureAlgorithm();
            Certificate certificate = sign(builder, signatureAlgorithm, issuingCa.keyPair());
            return new EndEntity(keyPair, certificate, chain());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue test certificate", e);
        }
    }

    /**
     * Writes {@code root-ca.pem}, {@code issuing-ca.pem}, {@code chain.pem} (issuing CA, root) and the CA keys
     * {@code root-ca.key.pem}, {@code issuing-ca.key.pem} into dir, e.g. for {@code openssl verify -CAfile}.
     */
    public PemFiles writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            return new PemFiles(
                    Files.writeString(dir.resolve("root-ca.pem"), root.certificate().pem()),
                    Files.writeString(dir.resolve("issuing-ca.pem"), issuingCa.certificate().pem()),
                    Files.writeString(dir.resolve("chain.pem"), chain().pem()),
                    Files.writeString(dir.resolve("root-ca.key.pem"),
                            Pem.encode(PemType.PRIVATE_KEY, root.privateKey().getEncoded())),
                    Files.writeString(dir.resolve("issuing-ca.key.pem"),
                            Pem.encode(PemType.PRIVATE_KEY, issuingCa.privateKey().getEncoded())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any RSA key, including ones the policy rejects (1024 bits, exponent 3). */
    public static KeyPair rsaKeyPair(int bits, BigInteger publicExponent) {
        return keyPair(RSA, new RSAKeyGenParameterSpec(bits, publicExponent));
    }

    /** Any named EC curve, including ones the policy rejects ({@code secp521r1}, {@code secp256k1}). */
    public static KeyPair ecKeyPair(String curveName) {
        return keyPair(EC, new ECGenParameterSpec(curveName));
    }

    /** A random positive serial of 80 bits (S/MIME BR: at least 64 bits from a CSPRNG). */
    static BigInteger randomSerial() {
        return new BigInteger(80, RANDOM).setBit(79);
    }

    private static Set<KeyUsage> defaultUsages(PublicKey key) {
        return key.getAlgorithm().startsWith(EC)
                ? EnumSet.of(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_AGREEMENT)
                : EnumSet.of(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_ENCIPHERMENT);
    }

    private static Certificate caCertificate(X500Name subject, PublicKey subjectKey, X500Name issuer,
            KeyPair issuerKeys, Certificate issuerCert, Instant notBefore, Instant notAfter, Integer pathLength) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, randomSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
            builder.addExtension(Extension.basicConstraints, true,
                    pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true,
                    KeyUsage.toExtension(EnumSet.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, issuerCert == null
                    ? utils.createAuthorityKeyIdentifier(subjectKey)
                    : utils.createAuthorityKeyIdentifier(issuerCert.x509()));
            return sign(builder, KeyAlgorithm.of(issuerKeys.getPublic()).signatureAlgorithm(), issuerKeys);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create test CA", e);
        }
    }

    private static Certificate sign(X509v3CertificateBuilder builder, String signatureAlgorithm, KeyPair signer)
            throws IOException {
        try {
            return Certificate.of(builder.build(new JcaContentSignerBuilder(signatureAlgorithm)
                    .setProvider(BouncyCastle.provider()).build(signer.getPrivate())).getEncoded());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + signatureAlgorithm, e);
        }
    }

    private static KeyPair keyPair(String algorithm, AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, BouncyCastle.provider());
            generator.initialize(spec, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + algorithm + " test key", e);
        }
    }

    /**
     * Where {@link #writeTo} put the PEM files.
     *
     * @param root the root CA certificate
     * @param issuingCa the issuing CA certificate
     * @param chain issuing CA then root
     * @param rootKey the root CA's PKCS#8 key
     * @param issuingCaKey the issuing CA's PKCS#8 key
     */
    public record PemFiles(Path root, Path issuingCa, Path chain, Path rootKey, Path issuingCaKey) {
    }

    private static final class Shared {
        static final TestPki INSTANCE = create();
    }
}
