package dev.smimepki.core.testpki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x509.KeyPurposeId;

import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * What {@link TestPki#issue(EndEntitySpec)} should put in a certificate. Defaults give a certificate every client
 * accepts; each option exists to break one rule on purpose.
 */
public final class EndEntitySpec {
    /** id-kp-emailProtection, RFC 5280 section 4.2.1.12. */
    public static final String EMAIL_PROTECTION = KeyPurposeId.id_kp_emailProtection.getId();
    public static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();

    List<String> emails = List.of();
    List<String> subjectEmails;
    String commonName;
    KeyAlgorithm keyAlgorithm = KeyAlgorithm.RSA_2048;
    KeyPair keyPair;
    Set<KeyUsage> keyUsages;
    List<String> extendedKeyUsages = List.of(EMAIL_PROTECTION);
    Instant notBefore;
    Instant notAfter;
    boolean includeSan = true;
    boolean includeKeyUsage = true;
    String signatureAlgorithm;
    BigInteger serial;
    String crlDistributionPoint;
    String ocspResponder;

    private EndEntitySpec() {
    }

    /** A spec for these mailboxes (SAN rfc822Name; the first also as subject emailAddress). */
    public static EndEntitySpec forEmails(String... emails) {
        return new EndEntitySpec().emails(emails);
    }

    public EndEntitySpec emails(String... emails) {
        this.emails = List.of(emails);
        return this;
    }

    /** Subject emailAddress values; default: the first SAN mailbox. */
    public EndEntitySpec subjectEmails(String... emails) {
        this.subjectEmails = List.of(emails);
        return this;
    }

    /** Default: the first mailbox, or "Test User". */
    public EndEntitySpec commonName(String commonName) {
        this.commonName = commonName;
        return this;
    }

    public EndEntitySpec keyAlgorithm(KeyAlgorithm keyAlgorithm) {
        this.keyAlgorithm = keyAlgorithm;
        return this;
    }

    /** Certify this key instead of generating one, e.g. an RSA-1024 key from {@link TestPki#rsaKeyPair}. */
    public EndEntitySpec keyPair(KeyPair keyPair) {
        this.keyPair = keyPair;
        return this;
    }

    /** Default: digitalSignature + keyEncipherment for RSA, digitalSignature + keyAgreement for EC. */
    public EndEntitySpec keyUsages(KeyUsage... usages) {
        this.keyUsages = usages.length == 0 ? EnumSet.noneOf(KeyUsage.class) : EnumSet.copyOf(Arrays.asList(usages));
        return this;
    }

    /** Purpose OIDs; default emailProtection only; none omits the extension. */
    public EndEntitySpec extendedKeyUsages(String... oids) {
        this.extendedKeyUsages = new ArrayList<>(List.of(oids));
        return this;
    }

    /** Default: from an hour ago for 365 days. */
    public EndEntitySpec validity(Instant notBefore, Instant notAfter) {
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        return this;
    }

    /** Valid from 60 days ago until yesterday. */
    public EndEntitySpec expired() {
        Instant now = Instant.now();
        return validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1)));
    }

    /** Valid from tomorrow. */
    public EndEntitySpec notYetValid() {
        Instant now = Instant.now();
        return validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(366)));
    }

    public EndEntitySpec includeSan(boolean includeSan) {
        this.includeSan = includeSan;
        return this;
    }

    public EndEntitySpec includeKeyUsage(boolean includeKeyUsage) {
        this.includeKeyUsage = includeKeyUsage;
        return this;
    }

    /** JCA name for the issuing CA's signature, e.g. {@code SHA1withRSA} to test rejection; default per policy. */
    public EndEntitySpec signatureAlgorithm(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
        return this;
    }

    /** Default: 80 random bits, positive. */
    public EndEntitySpec serial(BigInteger serial) {
        this.serial = serial;
        return this;
    }

    public EndEntitySpec crlDistributionPoint(String url) {
        this.crlDistributionPoint = url;
        return this;
    }

    public EndEntitySpec ocspResponder(String url) {
        this.ocspResponder = url;
        return this;
    }
}
