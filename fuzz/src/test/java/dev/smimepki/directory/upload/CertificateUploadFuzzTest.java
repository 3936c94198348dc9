package dev.smimepki.directory.upload;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.util.CollectionStore;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.directory.profile.SmimeCertificateCheck;
import dev.smimepki.fuzz.ClientErrors;

/**
 * Certificate uploads to directory-service ({@code POST /api/v1/certificates} as PEM, DER or PKCS#7): decoding and the
 * mail-client checks that run before anything is stored. The client picks the Content-Type, so every body meets all
 * three decoders.
 */
class CertificateUploadFuzzTest {

    @MethodSource("seeds")
    @FuzzTest
    void upload(byte[] body) {
        Instant now = Instant.now();
        for (UploadFormat format : UploadFormat.values()) {
            ClientErrors.only(() -> {
                for (Certificate certificate : format.decode(body)) {
                    certificate.isCa();
                    certificate.fingerprintSha256();
                    SmimeCertificateCheck.check(certificate, now);
                }
            });
        }
    }

    /** A certificate (DER, PEM), its chain as PEM, and the chain as a certs-only PKCS#7 in DER and PEM. */
    static Stream<byte[]> seeds() throws Exception {
        TestPki pki = TestPki.create();
        EndEntity alice = pki.issue("alice@example.com");
        List<X509CertificateHolder> holders = new ArrayList<>();
        for (Certificate certificate : alice.fullChain().certificates()) {
            holders.add(new X509CertificateHolder(certificate.der()));
        }
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addCertificates(new CollectionStore<>(holders));
        byte[] pkcs7 = generator.generate(new CMSProcessableByteArray(new byte[0]), false).getEncoded();
        String pkcs7Pem = "-----BEGIN PKCS7-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(pkcs7)
                + "\n-----END PKCS7-----\n";
        return Stream.of(alice.certificate().der(), ascii(alice.certificate().pem()), ascii(alice.fullChain().pem()),
                pkcs7, ascii(pkcs7Pem));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
