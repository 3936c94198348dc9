package dev.smimepki.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

import dev.smimepki.core.PolicyViolation;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;

class AlgorithmPolicyTest {

    @Test
    void sha256AndStrongerAreAccepted() {
        assertTrue(AlgorithmPolicy.isAcceptedSignatureAlgorithm(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE)));
        assertTrue(AlgorithmPolicy.isAcceptedSignatureAlgorithm(
                new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384)));
        assertTrue(AlgorithmPolicy.isAcceptedSignatureAlgorithm(pss(NISTObjectIdentifiers.id_sha256)));
    }

    @Test
    void sha1AndMd5AreRejected() {
        assertFalse(AlgorithmPolicy.isAcceptedSignatureAlgorithm(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.sha1WithRSAEncryption, DERNull.INSTANCE)));
        assertFalse(AlgorithmPolicy.isAcceptedSignatureAlgorithm(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.md5WithRSAEncryption, DERNull.INSTANCE)));
        assertFalse(AlgorithmPolicy.isAcceptedSignatureAlgorithm(
                new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA1)));
        assertFalse(AlgorithmPolicy.isAcceptedSignatureAlgorithm(pss(OIWObjectIdentifiers.idSHA1)));
        assertFalse(AlgorithmPolicy.isAcceptedSignatureAlgorithm(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, DERNull.INSTANCE)));
    }

    @Test
    void rejectionNamesTheAlgorithm() {
        var certificate = TestPki.shared().issue(EndEntitySpec.forEmails("sha1@example.com")
                .signatureAlgorithm("SHA1withRSA")).certificate();
        var e = assertThrows(PolicyViolation.class,
                () -> AlgorithmPolicy.requireAcceptedSignatureAlgorithm(certificate.signatureAlgorithm(),
                        "certificate"));
        assertEquals("certificate signature algorithm SHA1WITHRSA is not accepted; "
                + "SHA-256 or stronger with RSA or ECDSA is required", e.getMessage());
        AlgorithmPolicy.requireAcceptedSignatureAlgorithm(
                TestPki.shared().issue("ok@example.com").certificate().signatureAlgorithm(), "certificate");
    }

    @Test
    void cmsContentEncryptionIsAes256() {
        assertEquals(NISTObjectIdentifiers.id_aes256_CBC, AlgorithmPolicy.CMS_CONTENT_ENCRYPTION_CBC);
        assertEquals(NISTObjectIdentifiers.id_aes256_GCM, AlgorithmPolicy.CMS_CONTENT_ENCRYPTION_GCM);
    }

    private static AlgorithmIdentifier pss(ASN1ObjectIdentifier digest) {
        AlgorithmIdentifier hash = new AlgorithmIdentifier(digest, DERNull.INSTANCE);
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(hash,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash),
                new ASN1Integer(32), RSASSAPSSparams.DEFAULT_TRAILER_FIELD));
    }
}
