package dev.smimepki.ca.profile;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * The CA/Browser Forum S/MIME Baseline Requirements profiles for mailbox-validated certificates (section 7.1.6.1),
 * with the key usages each allows (section 7.1.2.3 e).
 */
public enum SmimeProfile {
    /** Works in Apple Mail, Thunderbird, Outlook and Gmail; RSA encryption keys also get dataEncipherment. */
    MULTIPURPOSE("multipurpose", "2.23.140.1.5.1.2"),
    STRICT("strict", "2.23.140.1.5.1.3");

    /** S/MIME BR section 6.3.2: subscriber certificates live at most 825 days. */
    public static final int MAX_VALIDITY_DAYS = 825;

    private final String wireName;
    private final ASN1ObjectIdentifier policy;

    SmimeProfile(String wireName, String policyOid) {
        this.wireName = wireName;
        this.policy = new ASN1ObjectIdentifier(policyOid);
    }

    public String wireName() {
        return wireName;
    }

    /** The certificatePolicies OID of this profile. */
    public ASN1ObjectIdentifier policy() {
        return policy;
    }

    /**
     * The keyUsage bits for a key type and usage. RSA: digitalSignature + nonRepudiation to sign, keyEncipherment
     * (+ dataEncipherment in multipurpose, which old Apple Mail wanted) to encrypt. EC: digitalSignature to sign,
     * keyAgreement to encrypt (RFC 5480 section 3, RFC 8551).
     */
    public Set<KeyUsage> keyUsages(KeyAlgorithm key, CertificateUsage usage) {
        Set<KeyUsage> usages = EnumSet.noneOf(KeyUsage.class);
        if (usage.signs()) {
            usages.add(KeyUsage.DIGITAL_SIGNATURE);
            if (key.isRsa()) {
                usages.add(KeyUsage.NON_REPUDIATION);
            }
        }
        if (usage.encrypts()) {
            if (key.isRsa()) {
                usages.add(KeyUsage.KEY_ENCIPHERMENT);
                if (this == MULTIPURPOSE) {
                    usages.add(KeyUsage.DATA_ENCIPHERMENT);
                }
            } else {
                usages.add(KeyUsage.KEY_AGREEMENT);
            }
        }
        return usages;
    }

    /** The profile for an API name; absent means {@link #MULTIPURPOSE}. */
    public static SmimeProfile fromName(String name) {
        if (name == null) {
            return MULTIPURPOSE;
        }
        for (SmimeProfile profile : values()) {
            if (profile.wireName.equals(name)) {
                return profile;
            }
        }
        String valid = Arrays.stream(values()).map(SmimeProfile::wireName).collect(Collectors.joining(", "));
        throw new ProblemException(ProblemException.Kind.MALFORMED, "invalid-profile",
                "unknown profile; valid: " + valid,
                List.of(new Problem.Violation("profile", "profile.known", "valid: " + valid)), null);
    }
}
