package dev.smimepki.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestDirectories;
import dev.smimepki.core.testpki.TestPki;

/**
 * S/MIME messages made now by openssl, the seeds of the crypto-service targets: what a mail client sends, signed and
 * encrypted to an RSA and an EC certificate of a {@link TestPki}.
 */
public final class SmimeSeeds {
    private static final String CONTENT = "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe Q4 figures.\r\n";

    private final TestPki pki = TestPki.create(KeyAlgorithm.EC_P256);
    private final EndEntity rsa = pki.issue(EndEntitySpec.forEmails("rsa@example.com")
            .keyAlgorithm(KeyAlgorithm.RSA_2048));
    private final EndEntity ec = pki.issue(EndEntitySpec.forEmails("ec@example.com")
            .keyAlgorithm(KeyAlgorithm.EC_P256));
    private final Path dir;
    private final EndEntity.PemFiles rsaFiles;
    private final EndEntity.PemFiles ecFiles;
    private final Path content;

    public SmimeSeeds() {
        try {
            dir = TestDirectories.create("smime-seeds"); // test keys: under target/, never left in /tmp
            rsaFiles = rsa.writeTo(dir, "rsa");
            ecFiles = ec.writeTo(dir, "ec");
            content = Files.writeString(dir.resolve("content.txt"), CONTENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestPki pki() {
        return pki;
    }

    public List<EndEntity> recipients() {
        return List.of(rsa, ec);
    }

    /** multipart/signed (RSA and EC signer) and opaque signed-data, with the chain; then the bare CMS. */
    public List<byte[]> signed() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(openssl("signed-rsa", "cms", "-sign", "-signer", rsaFiles.certificate().toString(), "-inkey",
                rsaFiles.privateKey().toString(), "-certfile", rsaFiles.chain().toString(), "-from",
                "rsa@example.com", "-subject", "figures"));
        seeds.add(openssl("signed-ec", "cms", "-sign", "-signer", ecFiles.certificate().toString(), "-inkey",
                ecFiles.privateKey().toString(), "-from", "ec@example.com", "-md", "sha384"));
        seeds.add(openssl("opaque-rsa", "cms", "-sign", "-nodetach", "-signer", rsaFiles.certificate().toString(),
                "-inkey", rsaFiles.privateKey().toString(), "-from", "rsa@example.com"));
        seeds.add(openssl("opaque-der", "cms", "-sign", "-nodetach", "-outform", "DER", "-signer",
                ecFiles.certificate().toString(), "-inkey", ecFiles.privateKey().toString()));
        seeds.add(("From: rsa@example.com\r\nSubject: plain\r\n" + CONTENT).getBytes(StandardCharsets.US_ASCII));
        return seeds;
    }

    /** AES-CBC and AES-GCM to the RSA key (key transport) and to the EC key (ECDH); then a bare CMS. */
    public List<byte[]> encrypted() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(openssl("cbc-rsa", "cms", "-encrypt", "-aes-256-cbc", "-from", "ec@example.com", "-to",
                "rsa@example.com", rsaFiles.certificate().toString()));
        seeds.add(openssl("gcm-rsa", "cms", "-encrypt", "-aes-128-gcm", rsaFiles.certificate().toString()));
        seeds.add(openssl("cbc-ec", "cms", "-encrypt", "-aes-128-cbc", "-recip", ecFiles.certificate().toString(),
                "-keyopt", "ecdh_kdf_md:sha256"));
        seeds.add(openssl("ski-der", "cms", "-encrypt", "-aes-256-gcm", "-keyid", "-outform", "DER",
                rsaFiles.certificate().toString()));
        return seeds;
    }

    /** A bare DER CMS wrapped into the body of an RFC 5322 message, as a client would send it. */
    public static byte[] wrap(byte[] cms, String smimeType) {
        String message = "From: fuzz@example.com\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(cms) + "\r\n";
        return message.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] openssl(String name, String... command) {
        Path out = dir.resolve(name);
        // options before the recipient certificate files, which openssl takes as the trailing arguments
        List<String> args = new ArrayList<>(List.of(command[0], command[1], "-in", content.toString(), "-out",
                out.toString()));
        args.addAll(List.of(command).subList(2, command.length));
        OpenSsl.run(args.toArray(String[]::new));
        try {
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
