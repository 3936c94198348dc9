package dev.smimepki.ca.issuance;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.fuzz.ClientErrors;

/** CSR parsing and proof of possession, as {@code POST /api/v1/certificates} runs them on the {@code csr} field. */
class CsrFuzzTest {

    /**
     * Input starting like DER is wrapped in PEM first, so the fuzzer mutates the ASN.1 rather than base64 text;
     * anything else is taken as the field's text.
     */
    @MethodSource("seeds")
    @FuzzTest
    void csr(byte[] input) {
        String field = input.length > 0 && (input[0] & 0xff) == 0x30
                ? Pem.encode(PemType.CERTIFICATE_REQUEST, input)
                : new String(input, StandardCharsets.ISO_8859_1);
        ClientErrors.only(() -> SubscriberPublicKey.fromCsr(field));
    }

    /** Valid CSRs made now: RSA and EC, DER and PEM; and one signed with SHA-1 that policy refuses. */
    static Stream<byte[]> seeds() throws Exception {
        byte[] rsa = csr(KeyAlgorithm.RSA_2048, KeyAlgorithm.RSA_2048.signatureAlgorithm());
        byte[] ec = csr(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256.signatureAlgorithm());
        byte[] sha1 = csr(KeyAlgorithm.EC_P256, "SHA1withECDSA");
        return Stream.of(rsa, ec, sha1,
                Pem.encode(PemType.CERTIFICATE_REQUEST, ec).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] csr(KeyAlgorithm algorithm, String signatureAlgorithm)
            throws OperatorCreationException, java.io.IOException {
        KeyPair keys = KeyPairs.generate(algorithm);
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=Fuzz Seed,E=seed@example.com"),
                keys.getPublic())
                .build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(BouncyCastle.provider())
                        .build(keys.getPrivate()))
                .getEncoded();
    }
}
