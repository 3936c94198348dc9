package dev.smimepki.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.PolicyViolation;
import dev.smimepki.core.testpki.TestPki;

class KeyAlgorithmTest {

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"RSA_2048", "EC_P256", "EC_P384"})
    void generatedKeysAreIdentifiedAsTheirAlgorithm(KeyAlgorithm algorithm) {
        KeyPair keyPair = KeyPairs.generate(algorithm);
        assertEquals(algorithm, KeyAlgorithm.of(keyPair.getPublic()));
        if (algorithm.isRsa()) {
            RSAPublicKey rsa = (RSAPublicKey) keyPair.getPublic();
            assertEquals(algorithm.keySize(), rsa.getModulus().bitLength());
            assertEquals(BigInteger.valueOf(65537), rsa.getPublicExponent());
        } else {
            assertEquals(algorithm.keySize(), ((ECPublicKey) keyPair.getPublic()).getParams().getCurve().getField()
                    .getFieldSize());
        }
    }

    @Test
    void jdkKeysAreIdentifiedToo() throws Exception {
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("EC", "SunEC");
        jdk.initialize(384);
        assertEquals(KeyAlgorithm.EC_P384, KeyAlgorithm.of(jdk.generateKeyPair().getPublic()));
    }

    @Test
    void rsa1024IsRejected() {
        var e = assertThrows(PolicyViolation.class,
                () -> KeyAlgorithm.of(TestPki.rsaKeyPair(1024, BigInteger.valueOf(65537)).getPublic()));
        assertEquals(List.of("RSA key of 1024 bits is below the minimum of 2048 bits"), e.violations());
        assertEquals(PolicyViolation.CODE, e.code());
    }

    @Test
    void exponent3IsRejected() {
        var e = assertThrows(PolicyViolation.class,
                () -> KeyAlgorithm.of(TestPki.rsaKeyPair(2048, BigInteger.valueOf(3)).getPublic()));
        assertEquals(List.of("RSA public exponent 3 is not 65537"), e.violations());
    }

    @Test
    void everyRsaFlawIsListed() {
        var e = assertThrows(PolicyViolation.class,
                () -> KeyAlgorithm.of(TestPki.rsaKeyPair(1024, BigInteger.valueOf(3)).getPublic()));
        assertEquals(2, e.violations().size(), e.getMessage());
        assertEquals(String.join("; ", e.violations()), e.getMessage());
    }

    @Test
    void unsupportedRsaSizeIsRejected() {
        var e = assertThrows(PolicyViolation.class,
                () -> KeyAlgorithm.of(TestPki.rsaKeyPair(2056, BigInteger.valueOf(65537)).getPublic()));
        assertEquals(List.of("RSA key of 2056 bits is not one of the supported sizes 2048, 3072, 4096"),
                e.violations());
    }

    @Test
    void p521IsRejected() {
        var e = assertThrows(PolicyViolation.class,
                () -> KeyAlgorithm.of(TestPki.ecKeyPair("secp521r1").getPublic()));
        assertEquals("EC curve P-521 is not supported; use P-256 or P-384", e.getMessage());
    }

    @Test
    void secp256k1IsRejected() {
        var e = assertThrows(PolicyViolation.class,
                () -> KeyAlgorithm.of(TestPki.ecKeyPair("secp256k1").getPublic()));
        assertEquals("EC curve secp256k1 is not supported; use P-256 or P-384", e.getMessage());
    }

    @Test
    void otherKeyTypesAreRejected() throws Exception {
        PublicKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        var e = assertThrows(PolicyViolation.class, () -> KeyAlgorithm.of(ed25519));
        assertTrue(e.getMessage().startsWith("key type "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" is not supported; use RSA or EC"), e.getMessage());
    }

    @Test
    void describesKeys() {
        assertEquals("RSA 1024", AlgorithmPolicy.describe(TestPki.rsaKeyPair(1024, BigInteger.valueOf(3))
                .getPublic()));
        assertEquals("EC P-256", AlgorithmPolicy.describe(KeyPairs.generate(KeyAlgorithm.EC_P256)
                .getPublic()));
    }

    @Test
    void signatureAndDigestFollowTheKey() {
        assertEquals("SHA256withRSA", KeyAlgorithm.RSA_2048.signatureAlgorithm());
        assertEquals("SHA256withRSA", KeyAlgorithm.RSA_4096.signatureAlgorithm());
        assertEquals("SHA256withECDSA", KeyAlgorithm.EC_P256.signatureAlgorithm());
        assertEquals("SHA384withECDSA", KeyAlgorithm.EC_P384.signatureAlgorithm());
        assertEquals("SHA-384", AlgorithmPolicy.digestAlgorithm(KeyAlgorithm.EC_P384));
        assertEquals("SHA-256", AlgorithmPolicy.digestAlgorithm(KeyAlgorithm.RSA_3072));
    }

    @Test
    void fromNameIsExact() {
        assertEquals(KeyAlgorithm.EC_P256, KeyAlgorithm.fromName("EC_P256"));
        var e = assertThrows(PkiFormatException.class, () -> KeyAlgorithm.fromName("ec_p256"));
        assertEquals("unknown key algorithm; valid: RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384", e.getMessage());
    }

    @Test
    void decodesKeysFromDer() {
        KeyPair keyPair = KeyPairs.generate(KeyAlgorithm.EC_P256);
        assertEquals(keyPair.getPublic(), KeyPairs.publicKeyFromDer(keyPair.getPublic().getEncoded()));
        assertEquals(keyPair.getPrivate(), KeyPairs.privateKeyFromDer(keyPair.getPrivate().getEncoded()));
        assertThrows(PkiFormatException.class, () -> KeyPairs.privateKeyFromDer(new byte[]{0x30, 0x01, 0x00}));
        assertThrows(PkiFormatException.class, () -> KeyPairs.publicKeyFromDer(new byte[]{1, 2, 3}));
    }
}
