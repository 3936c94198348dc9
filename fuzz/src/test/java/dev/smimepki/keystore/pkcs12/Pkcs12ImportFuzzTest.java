package dev.smimepki.keystore.pkcs12;

import java.io.IOException;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.fuzz.ClientErrors;

/**
 * PKCS#12 import ({@code POST /api/v1/keys/import}) up to the database write: reading the PFX, its MAC, bags and
 * encryption, matching key and certificate, and the checks on the certificate's mailboxes and key.
 */
class Pkcs12ImportFuzzTest {
    private static final String PASSWORD = "fuzz-seed-password";

    @MethodSource("seeds")
    @FuzzTest
    void importFile(byte[] file) {
        ClientErrors.only(() -> {
            Pkcs12Contents contents = Pkcs12Reader.read(file, PASSWORD.toCharArray());
            contents.certificate().emails().forEach(EmailAddress::tryParse);
            KeyAlgorithm.of(contents.certificate().publicKey());
            try {
                contents.privateKey().getEncoded();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * Files as the platform exports them (modern and legacy profile, with MAC), and one without MAC or encryption,
     * whose bags the fuzzer can change without breaking a MAC it cannot forge.
     */
    static Stream<byte[]> seeds() throws Exception {
        TestPki pki = TestPki.create(KeyAlgorithm.EC_P256);
        EndEntity rsa = pki.issue("rsa@example.com");
        EndEntity ec = pki.issue(EndEntitySpec.forEmails("ec@example.com")
                .keyAlgorithm(KeyAlgorithm.EC_P256));
        Pkcs12Contents rsaContents = contents(rsa);
        Pkcs12Contents ecContents = contents(ec);
        byte[] modern = Pkcs12Writer.write(rsaContents, "rsa", ExportProfile.modern, 2, PASSWORD.toCharArray());
        byte[] legacy = Pkcs12Writer.write(ecContents, "ec", ExportProfile.legacy, 2, PASSWORD.toCharArray());
        PKCS12PfxPduBuilder plain = new PKCS12PfxPduBuilder();
        plain.addData(new PKCS12SafeBagBuilder(ecContents.privateKey()).build());
        plain.addData(new PKCS12SafeBagBuilder(new X509CertificateHolder(ec.certificate().der())).build());
        return Stream.of(modern, legacy, plain.build(null, null).getEncoded(ASN1Encoding.DER));
    }

    private static Pkcs12Contents contents(EndEntity entity) {
        return new Pkcs12Contents(PrivateKeyInfo.getInstance(entity.privateKey().getEncoded()), entity.certificate(),
                entity.chain());
    }
}
