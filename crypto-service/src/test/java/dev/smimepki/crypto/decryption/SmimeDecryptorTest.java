package dev.smimepki.crypto.decryption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.crypto.Gpgsm;
import dev.smimepki.crypto.Messages;
import dev.smimepki.crypto.encryption.Recipient;
import dev.smimepki.crypto.encryption.SmimeEncryptor;
import dev.smimepki.crypto.keys.TestPkiKeys;
import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.crypto.verification.SmimeVerifier;
import dev.smimepki.crypto.verification.VerificationReport;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Messages made by openssl and gpgsm open here; a tampered AES-GCM message releases nothing; messages we cannot open
 * are clear problems. Keys are held by {@link TestPkiKeys}, the stand-in for keystore-service.
 */
class SmimeDecryptorTest {
    private static final String CONTENT = "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe Q4 figures.\r\n";
    private static final TestPki PKI = TestPki.shared();
    private static final TestPkiKeys KEYS = new TestPkiKeys();

    @TempDir
    static Path dir;
    private static TestPki.PemFiles pkiFiles;
    private static EndEntity.PemFiles rsa;
    private static EndEntity.PemFiles ec;
    private static EndEntity.PemFiles stranger;

    @BeforeAll
    static void keys() throws IOException {
        EndEntity rsaEntity = PKI.issue(EndEntitySpec.forEmails("rsa@example.com").keyAlgorithm(KeyAlgorithm.RSA_2048));
        EndEntity ecEntity = PKI.issue(EndEntitySpec.forEmails("ec@example.com").keyAlgorithm(KeyAlgorithm.EC_P256));
        KEYS.add(rsaEntity);
        KEYS.add(ecEntity);
        rsa = rsaEntity.writeTo(dir, "rsa");
        ec = ecEntity.writeTo(dir, "ec");
        // a certificate whose key keystore-service does not hold
        stranger = PKI.issue(EndEntitySpec.forEmails("stranger@example.com")).writeTo(dir, "stranger");
        pkiFiles = PKI.writeTo(dir.resolve("pki"));
        Files.writeString(dir.resolve("content.txt"), CONTENT);
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"-aes-128-cbc, rsa", "-aes-256-cbc, rsa", "-aes-256-gcm, rsa", "-aes-256-cbc, ec", "-aes-256-gcm, ec"})
    void opensslEncryptedMessageOpens(String cipher, String recipient) throws Exception {
        Path out = dir.resolve("openssl" + cipher + recipient + ".eml");
        List<String> command = new ArrayList<>(List.of("cms", "-encrypt", "-in", dir.resolve("content.txt").toString(),
                "-out", out.toString(), cipher, "-from", "rsa@example.com", "-to", "ec@example.com", "-subject",
                "figures"));
        if (recipient.equals("ec")) {
            command.addAll(List.of("-recip", ec.certificate().toString(), "-keyopt", "ecdh_kdf_md:sha256"));
        } else {
            command.add(rsa.certificate().toString());
        }
        OpenSsl.run(command.toArray(String[]::new));
        String decrypted = decrypt(Files.readAllBytes(out));
        assertEquals(CONTENT, decrypted.replace("\r\n", "\n").replace("\n", "\r\n"));
    }

    @Test
    void gpgsmEncryptedMessageOpens() throws Exception {
        Path work = Files.createDirectories(dir.resolve("gpgsm"));
        Path encrypted = work.resolve("encrypted.p7m");
        try (Gpgsm gpgsm = Gpgsm.trusting(work, PKI.root().certificate())) {
            gpgsm.run("--batch", "--import", pkiFiles.issuingCa().toString());
            gpgsm.run("--batch", "--import", rsa.certificate().toString());
            Gpgsm.Result result = gpgsm.run("--batch", "--yes", "--recipient", "rsa@example.com", "--output",
                    encrypted.toString(), "--encrypt", dir.resolve("content.txt").toString());
            assertEquals(0, result.exitCode(), result.output());
        }
        String message = "From: ec@example.com\r\nTo: rsa@example.com\r\nSubject: from gpgsm\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(Files.readAllBytes(encrypted)) + "\r\n";
        assertEquals(CONTENT, decrypt(message.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void opensslSignedThenEncryptedOpensAndItsSignatureVerifies() throws Exception {
        Path signed = dir.resolve("signed.eml");
        OpenSsl.run("cms", "-sign", "-in", dir.resolve("content.txt").toString(), "-signer",
                rsa.certificate().toString(), "-inkey", rsa.privateKey().toString(), "-certfile",
                rsa.chain().toString(), "-out", signed.toString());
        Path encrypted = dir.resolve("signed-encrypted.eml");
        OpenSsl.run("cms", "-encrypt", "-in", signed.toString(), "-out", encrypted.toString(), "-aes-256-cbc",
                "-from", "rsa@example.com", "-to", "ec@example.com", "-subject", "signed and sealed", "-recip",
                ec.certificate().toString(), "-keyopt", "ecdh_kdf_md:sha256");
        String inner = decrypt(Files.readAllBytes(encrypted));
        assertTrue(inner.contains("multipart/signed"), inner);
        // what the decrypt endpoint returns: the outer message fields around the decrypted entity
        String message = "From: rsa@example.com\r\nTo: ec@example.com\r\nSubject: signed and sealed\r\n" + inner;
        try (SpooledMessage spooled = Messages.spool(message)) {
            VerificationReport report = new SmimeVerifier(() -> List.of(PKI.root().certificate())).verify(spooled)
                    .report();
            assertTrue(report.valid(), report.problems().toString());
            assertEquals("rsa@example.com", report.signer().email());
        }
    }

    @Test
    void tamperedGcmMessageReleasesNoPlaintextAndLeavesNoFile() throws Exception {
        String body = "confidential line of the Q4 report\n".repeat(4000);
        Recipient recipient = new Recipient(EmailAddress.parse("rsa@example.com"),
                KEYS.entity(EmailAddress.parse("rsa@example.com")).certificate(),
                List.of(CMSAlgorithm.AES256_GCM.getId()));
        byte[] encrypted;
        try (SpooledMessage spooled = Messages.spool(Messages.plain("rsa@example.com", "rsa@example.com", body))) {
            encrypted = Messages.bytes(out -> new SmimeEncryptor().encrypt(spooled.message(), List.of(recipient), out));
        }
        Path stagingDir = Files.createDirectories(dir.resolve("staging"));
        MessageSpool spool = new MessageSpool(64L * 1024 * 1024, 256 * 1024, stagingDir);
        assertTrue(decrypt(encrypted, spool).contains("confidential line"), "the untouched message opens");

        byte[] tampered = tamperCiphertext(encrypted);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProblemException problem;
        try (SpooledMessage spooled = spool.spool(new java.io.ByteArrayInputStream(tampered))) {
            problem = assertThrows(ProblemException.class,
                    () -> new SmimeDecryptor(KEYS, spool).decrypt(spooled.message(), key -> true, out));
        }
        assertEquals("authentication-failed", problem.code());
        assertEquals(Kind.MALFORMED, problem.kind());
        assertEquals(0, out.size(), "not one byte of plaintext before the tag is checked");
        try (Stream<Path> left = Files.list(stagingDir)) {
            assertEquals(List.of(), left.toList(), "the sealed staging file is deleted");
        }
    }

    @Test
    void sealedStagingFileHoldsNoPlaintext() throws Exception {
        Path file = Files.createTempFile(dir, "stage", ".tmp");
        byte[] plain = "confidential line of the Q4 report\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
        try (SealedStagingFile stage = new SealedStagingFile(file)) {
            try (var out = stage.output()) {
                out.write(plain);
            }
            String onDisk = Files.readString(file, StandardCharsets.ISO_8859_1);
            assertEquals(plain.length, onDisk.length());
            assertTrue(!onDisk.contains("confidential"), "the staged bytes are encrypted");
            try (var in = stage.input()) {
                assertEquals(new String(plain, StandardCharsets.US_ASCII),
                        new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
        }
        assertTrue(Files.notExists(file));
    }

    @Test
    void messageForKeysWeDoNotHoldOrMayNotUseIsRefused() throws Exception {
        Path out = dir.resolve("stranger.eml");
        OpenSsl.run("cms", "-encrypt", "-in", dir.resolve("content.txt").toString(), "-out", out.toString(),
                "-aes-256-cbc", stranger.certificate().toString());
        ProblemException none = assertThrows(ProblemException.class, () -> decrypt(Files.readAllBytes(out)));
        assertEquals("no-key-for-message", none.code());
        assertEquals(Kind.REFUSED_BY_POLICY, none.kind());

        Path forRsa = dir.resolve("for-rsa.eml");
        OpenSsl.run("cms", "-encrypt", "-in", dir.resolve("content.txt").toString(), "-out", forRsa.toString(),
                "-aes-256-cbc", rsa.certificate().toString());
        try (SpooledMessage spooled = Messages.spool(Files.readAllBytes(forRsa))) {
            ProblemException notMine = assertThrows(ProblemException.class, () -> new SmimeDecryptor(KEYS,
                    Messages.SPOOL).decrypt(spooled.message(),
                            key -> key.certificate().coversEmail(
                                    EmailAddress.parse("ec@example.com")),
                            new ByteArrayOutputStream()));
            assertEquals(Kind.FORBIDDEN, notMine.kind());
        }
    }

    @Test
    void badInputIsAClearProblem() throws Exception {
        ProblemException plain = assertThrows(ProblemException.class,
                () -> decrypt(Messages.plain("a@example.com", "b@example.com", "hello\n")
                        .getBytes(StandardCharsets.US_ASCII)));
        assertEquals("not-encrypted", plain.code());
        assertEquals(Kind.MALFORMED, plain.kind());

        Path signed = dir.resolve("opaque-signed.eml");
        OpenSsl.run("cms", "-sign", "-nodetach", "-in", dir.resolve("content.txt").toString(), "-signer",
                rsa.certificate().toString(), "-inkey", rsa.privateKey().toString(), "-out", signed.toString());
        assertEquals("not-encrypted",
                assertThrows(ProblemException.class, () -> decrypt(Files.readAllBytes(signed))).code());

        Path encrypted = dir.resolve("to-truncate.eml");
        OpenSsl.run("cms", "-encrypt", "-in", dir.resolve("content.txt").toString(), "-out", encrypted.toString(),
                "-aes-256-cbc", rsa.certificate().toString());
        String text = Files.readString(encrypted);
        String truncated = text.substring(0, text.indexOf("\n\n") + 2)
                + text.substring(text.indexOf("\n\n") + 2, text.indexOf("\n\n") + 120) + "\n";
        ProblemException broken = assertThrows(ProblemException.class,
                () -> decrypt(truncated.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Kind.MALFORMED, broken.kind(), broken.getMessage());
    }

    /** Decodes the base64 body, flips one byte in the middle (inside the ciphertext), encodes again. */
    private static byte[] tamperCiphertext(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        byte[] cms = Base64.getMimeDecoder().decode(text.substring(bodyStart).strip());
        cms[cms.length / 2] ^= 0x01;
        return (text.substring(0, bodyStart) + Base64.getMimeEncoder().encodeToString(cms) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String decrypt(byte[] message) {
        return decrypt(message, Messages.SPOOL);
    }

    private static String decrypt(byte[] message, MessageSpool spool) {
        try (SpooledMessage spooled = spool.spool(new java.io.ByteArrayInputStream(message))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new SmimeDecryptor(KEYS, spool).decrypt(spooled.message(), key -> true, out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
