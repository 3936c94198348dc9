package dev.smimepki.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pki export KEYID}: the key, its certificate and full chain as a password-protected PKCS#12 file. */
@Command(name = "export", mixinStandardHelpOptions = true, header = "Export a key as PKCS#12 (for a mail client).", description = {
        "--profile modern: AES-256 and PBKDF2 (Thunderbird, current clients). --profile legacy: 3DES and SHA-1 MAC,"
                + " for macOS Keychain/Apple Mail, older iOS, Android and Windows, which say 'wrong password' on AES"
                + " files (OpenSSL 3 reads legacy files only with -legacy).",
        "The password is asked twice on the terminal; scripts pass --password-file FILE or set PKI_EXPORT_PASSWORD."})
final class ExportCommand implements Callable<Integer> {

    static final String PKCS12 = "application/x-pkcs12";

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", paramLabel = "KEYID", description = "The key (pki issue or pki keys EMAIL shows it).")
    String keyId;

    @Option(names = "--profile", defaultValue = "modern", description = "modern (default) or legacy.")
    String profile;

    @Option(names = "--out", required = true, paramLabel = "FILE.p12")
    Path out;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File whose first line is the password.")
    Path passwordFile;

    @Override
    public Integer call() {
        if (!profile.equals("modern") && !profile.equals("legacy")) {
            throw new CommandFailure(ExitCode.ERROR, "--profile must be modern or legacy");
        }
        String password = Passwords.forExport(passwordFile, System.console());
        byte[] pkcs12 = export(options.client(), keyId, password, profile);
        Files2.write(out, pkcs12);
        if (options.json) {
            options.out().println(Json.pretty(Map.of("keyId", keyId, "profile", profile, "file",
                    out.toAbsolutePath().toString(), "bytes", pkcs12.length)));
        } else {
            options.out().println("wrote " + out + " (" + pkcs12.length + " bytes, " + profile + " profile: key,"
                    + " certificate and chain)");
        }
        options.out().flush();
        return ExitCode.OK;
    }

    static byte[] export(PlatformClient client, String keyId, String password, String profile) {
        return client.postJson(PlatformService.KEYSTORE, "/api/v1/keys/" + PlatformClient.encode(keyId.strip())
                + "/pkcs12", Map.of("password", password, "profile", profile), PKCS12, "export key " + keyId)
                .body();
    }
}
