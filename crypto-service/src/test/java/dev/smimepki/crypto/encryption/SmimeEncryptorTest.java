package dev.smimepki.crypto.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.crypto.Messages;
import dev.smimepki.crypto.decryption.SmimeDecryptor;
import dev.smimepki.crypto.keys.TestPkiKeys;
import dev.smimepki.crypto.mime.SpooledMessage;

/**
 * Messages encrypted here open with {@code openssl cms -decrypt} using each recipient's key (RSA and EC recipients,
 * CBC by default, GCM only when every recipient announced it, OAEP only when announced) and with our own decryptor.
 */
class SmimeEncryptorTest {
    private static final String BODY = "The Q4 figures, for your eyes only.\nRegards,\nAlice\n";
    private static final String GCM = CMSAlgorithm.AES256_GCM.getId();
    private static final String CBC = CMSAlgorithm.AES256_CBC.getId();
    private static final TestPki PKI = TestPki.shared();
    private static final TestPkiKeys KEYS = new TestPkiKeys();

    @TempDir
    static Path dir;

    @BeforeAll
    static void keys() {
        KEYS.add(PKI.issue(EndEntitySpec.forEmails("alice@example.com").keyAlgorithm(KeyAlgorithm.RSA_2048)));
        KEYS.add(PKI.issue(EndEntitySpec.forEmails("p256@example.com").keyAlgorithm(KeyAlgorithm.EC_P256)));
        KEYS.add(PKI.issue(EndEntitySpec.forEmails("p384@example.com").keyAlgorithm(KeyAlgorithm.EC_P384)));
    }

    @Test
    void cbcToRsaAndEcRecipientsOpensWithOpensslForEachRecipient() throws Exception {
        List<Recipient> recipients = List.of(recipient("alice@example.com"), recipient("p256@example.com"),
                recipient("p384@example.com"));
        byte[] encrypted = encrypt(message("Bcc: hidden@example.org\n"), recipients);
        String text = new String(encrypted, StandardCharsets.US_ASCII);
        assertTrue(text.contains("Content-Type: application/pkcs7-mime; smime-type=enveloped-data;"), text);
        assertTrue(text.startsWith("From: Sender <alice@example.com>\r\nTo: p256@example.com, p384@example.com\r\n"),
                "outer message fields kept: " + text);
        assertFalse(text.contains("Bcc"), "Bcc is removed from the output");
        assertFalse(text.contains("Q4 figures"), "the body is encrypted");
        assertTrue(text.contains("Subject: quarterly figures\r\n"));

        Path file = Files.write(dir.resolve("cbc.eml"), encrypted);
        String printed = OpenSsl.run("cms", "-cmsout", "-print", "-in", file.toString());
        assertTrue(printed.contains("aes-256-cbc"), printed);
        assertTrue(printed.contains("rsaEncryption"), "RSA PKCS#1 v1.5 key transport by default: " + printed);
        assertTrue(printed.contains("dhSinglePass-stdDH-sha256kdf-scheme"), printed);
        assertTrue(printed.contains("id-aes256-wrap"), printed);
        for (String mailbox : List.of("alice@example.com", "p256@example.com", "p384@example.com")) {
            assertEquals(expectedContent(), opensslDecrypt(file, mailbox), "openssl opens it for " + mailbox);
            assertEquals(expectedContent(), ourDecrypt(encrypted), "we open it");
        }
    }

    @Test
    void gcmOnlyWhenEveryRecipientAnnouncedItAndItOpensWithOpenssl() throws Exception {
        List<Recipient> all = List.of(recipient("alice@example.com", GCM, CBC),
                recipient("p256@example.com", GCM, CBC));
        byte[] encrypted = encrypt(message(""), all);
        String text = new String(encrypted, StandardCharsets.US_ASCII);
        assertTrue(text.contains("smime-type=authEnveloped-data"), text);
        Path file = Files.write(dir.resolve("gcm.eml"), encrypted);
        assertTrue(OpenSsl.run("cms", "-cmsout", "-print", "-in", file.toString()).contains("aes-256-gcm"));
        assertEquals(expectedContent(), opensslDecrypt(file, "alice@example.com"));
        assertEquals(expectedContent(), opensslDecrypt(file, "p256@example.com"));
        assertEquals(expectedContent(), ourDecrypt(encrypted));

        List<Recipient> oneDidNot = List.of(recipient("alice@example.com", GCM, CBC), recipient("p256@example.com"));
        String mixed = new String(encrypt(message(""), oneDidNot), StandardCharsets.US_ASCII);
        assertTrue(mixed.contains("smime-type=enveloped-data"), "one recipient without GCM: CBC for all");
    }

    @Test
    void rsaOaepOnlyForARecipientThatAnnouncedIt() throws Exception {
        List<Recipient> recipients = List.of(recipient("alice@example.com", CBC,
                PKCSObjectIdentifiers.id_RSAES_OAEP.getId()));
        byte[] encrypted = encrypt(message(""), recipients);
        Path file = Files.write(dir.resolve("oaep.eml"), encrypted);
        String printed = OpenSsl.run("cms", "-cmsout", "-print", "-in", file.toString());
        assertTrue(printed.contains("rsaesOaep"), printed);
        assertEquals(expectedContent(), opensslDecrypt(file, "alice@example.com"));
        assertEquals(expectedContent(), ourDecrypt(encrypted));
    }

    private static Recipient recipient(String mailbox, String... capabilities) {
        EmailAddress address = EmailAddress.parse(mailbox);
        return new Recipient(address, KEYS.entity(address).certificate(), List.of(capabilities));
    }

    private static String message(String extraHeader) {
        return Messages.plain("alice@example.com", "p256@example.com, p384@example.com", BODY)
                .replace("Subject:", extraHeader + "Subject:");
    }

    static String expectedContent() {
        return "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + BODY.replace("\n", "\r\n");
    }

    private static byte[] encrypt(String message, List<Recipient> recipients) throws IOException {
        try (SpooledMessage spooled = Messages.spool(message)) {
            return Messages.bytes(out -> new SmimeEncryptor().encrypt(spooled.message(), new ArrayList<>(recipients),
                    out));
        }
    }

    private static String opensslDecrypt(Path file, String mailbox) throws IOException {
        EndEntity entity = KEYS.entity(EmailAddress.parse(mailbox));
        EndEntity.PemFiles files = entity.writeTo(dir, mailbox.replace('@', '_'));
        Path out = dir.resolve(mailbox + ".out");
        OpenSsl.run("cms", "-decrypt", "-in", file.toString(), "-recip", files.certificate().toString(), "-inkey",
                files.privateKey().toString(), "-binary", "-out", out.toString());
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String ourDecrypt(byte[] message) {
        try (SpooledMessage spooled = Messages.spool(message)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new SmimeDecryptor(KEYS, Messages.SPOOL).decrypt(spooled.message(), key -> true, out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
