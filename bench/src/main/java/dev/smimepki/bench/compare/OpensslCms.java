package dev.smimepki.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.smimepki.bench.BenchAlgorithms;

/**
 * {@code openssl cms} on the same messages as the platform: EC P-256 signer and recipient made by openssl itself,
 * AES-256-CBC like the platform's default, detached S/MIME signatures, encryption to the recipient and the sender.
 * Every operation is one or two openssl processes, as a script would run them.
 */
public final class OpensslCms {
    private final Path dir;

    private OpensslCms(Path dir) {
        this.dir = dir;
    }

    public static OpensslCms prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        OpensslCms openssl = new OpensslCms(dir);
        openssl.identity("alice");
        openssl.identity("bob");
        return openssl;
    }

    public static String version() {
        try {
            return Shell.run(Path.of("."), List.of("openssl", "version")).trim();
        } catch (IOException e) {
            return "openssl missing: " + e.getMessage();
        }
    }

    private void identity(String name) throws IOException {
        String email = name + "@bench.example";
        Shell.run(dir, List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:" + BenchAlgorithms.OPENSSL_CURVE_P256, "-nodes", "-keyout", name + ".key", "-out",
                name + ".pem", "-days", "30", "-subj", "/CN=" + email, "-addext", "subjectAltName=email:" + email,
                "-addext", "keyUsage=critical,digitalSignature,keyAgreement", "-addext",
                "extendedKeyUsage=emailProtection"));
    }

    /** Detached S/MIME signature of {@code message}, written to {@code out}. */
    public void sign(Path message, Path out) throws IOException {
        Shell.run(dir, List.of("openssl", "cms", "-sign", "-in", message.toString(), "-signer", "alice.pem", "-inkey",
                "alice.key", "-out", out.toString()));
    }

    /** Enveloped to bob and alice (the platform also encrypts to the sender). */
    public void encrypt(Path message, Path out) throws IOException {
        Shell.run(dir, List.of("openssl", "cms", "-encrypt", BenchAlgorithms.OPENSSL_CONTENT_CIPHER, "-in",
                message.toString(), "-out", out.toString(), "bob.pem", "alice.pem"));
    }

    /** {@code openssl cms -sign | openssl cms -encrypt}: the reference pipeline. */
    public void signAndEncrypt(Path message, Path out) throws IOException {
        Shell.sh(dir, "openssl cms -sign -in '" + message + "' -signer alice.pem -inkey alice.key"
                + " | openssl cms -encrypt " + BenchAlgorithms.OPENSSL_CONTENT_CIPHER + " -out '" + out
                + "' bob.pem alice.pem");
    }

    public void decrypt(Path encrypted, Path out) throws IOException {
        Shell.run(dir, List.of("openssl", "cms", "-decrypt", "-in", encrypted.toString(), "-recip", "bob.pem",
                "-inkey", "bob.key", "-out", out.toString()));
    }

    /** Checks the signature; {@code -noverify} skips the chain (the signer is self-signed). */
    public void verify(Path signed, Path out) throws IOException {
        Shell.run(dir, List.of("openssl", "cms", "-verify", "-noverify", "-in", signed.toString(), "-out",
                out.toString()));
    }
}
