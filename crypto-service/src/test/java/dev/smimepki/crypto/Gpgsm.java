package dev.smimepki.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.OpenSsl;

/** Runs gpgsm (GnuPG's S/MIME tool, as Kmail and Mutt use it) against a throw-away home directory. */
public final class Gpgsm implements AutoCloseable {
    /** What gpgsm says when the key it derived from a correct password does not decrypt a bag. */
    private static final String MISDERIVED_KEY = "decryption failed; trying charset";
    /** Eight salts that all fail would happen once in 2^48 imports. */
    private static final int SALT_ATTEMPTS = 8;
    private final Path home;

    private Gpgsm(Path home) {
        this.home = home;
    }

    /** A home that trusts this root (trustlist.txt, as an administrator would) and skips CRL look-ups. */
    public static Gpgsm trusting(Path dir, Certificate root) throws IOException {
        Path home = dir.resolve("gnupg");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path rootFile = Files.writeString(dir.resolve("gpgsm-root.pem"), root.pem());
        String sha1 = OpenSsl.run("x509", "-in", rootFile.toString(), "-noout", "-fingerprint", "-sha1")
                .replaceAll("(?s).*=", "").strip();
        Files.writeString(home.resolve("trustlist.txt"), sha1 + " S relax\n");
        Files.writeString(home.resolve("gpgsm.conf"), "disable-crl-checks\n");
        Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
        Gpgsm gpgsm = new Gpgsm(home);
        gpgsm.run("--batch", "--import", rootFile.toString());
        return gpgsm;
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs gpgsm with {@code input} on stdin, e.g. a passphrase for {@code --passphrase-fd 0}. */
    public Result runWithInput(String input, String... args) {
        List<String> command = new ArrayList<>(List.of("gpgsm", "--homedir", home.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("gpgsm timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run gpgsm", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Imports the end entity's key and certificate as a PKCS#12 with PBE-SHA1-3DES, which gpgsm 2.2 reads (it
     * cannot read PBES2 with HMAC-SHA256). GnuPG derives a wrong 3DES key from about one salt in 128 (its PKCS#12
     * key derivation drops a leading zero byte; keystore-service's {@code LegacyPbe} picks salts it reads), so a
     * file of openssl's, with two encrypted bags, fails about once in 64: written again with fresh salts when
     * gpgsm's answer is that one, any other failure fails at once.
     */
    public void importKey(Path dir, EndEntity entity) {
        EndEntity.PemFiles files = entity.writeTo(dir, "gpgsm-key");
        Path p12 = dir.resolve("gpgsm-key.p12");
        Result imported = null;
        for (int attempt = 0; attempt < SALT_ATTEMPTS; attempt++) {
            OpenSsl.run("pkcs12", "-export", "-in", files.certificate().toString(), "-inkey",
                    files.privateKey().toString(), "-certfile", files.chain().toString(), "-out", p12.toString(),
                    "-passout", "pass:test", "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg",
                    "sha1");
            imported = runWithInput("test\n", "--batch", "--pinentry-mode", "loopback", "--passphrase-fd", "0",
                    "--import", p12.toString());
            if (imported.exitCode() == 0 || !imported.output().contains(MISDERIVED_KEY)) {
                break;
            }
        }
        if (imported.exitCode() != 0) {
            throw new AssertionError(imported.output());
        }
    }

    /** Stops the gpg-agent gpgsm started for this home. */
    @Override
    public void close() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent")
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * @param exitCode the exit status
     * @param output stdout and stderr
     */
    public record Result(int exitCode, String output) {
    }
}
