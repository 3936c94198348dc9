package dev.smimepki.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pki sign|encrypt|decrypt|verify < in.eml > out.eml}: whole RFC 5322 messages streamed through
 * crypto-service. The private-key operations happen in the platform, so signing and decrypting act as the mailbox's
 * owner: a pki-user token for the From address (sign) or the first To address (decrypt) unless --as says otherwise.
 */
final class SmimeCommands {

    private SmimeCommands() {
    }

    /** Input and output of a message command: files, or stdin and stdout. */
    static final class Streams {

        @Option(names = "--in", paramLabel = "FILE.eml", description = "Read the message from FILE (default: stdin).")
        Path in;

        @Option(names = "--out", paramLabel = "FILE.eml", description = "Write the result to FILE (default: stdout).")
        Path out;

        BufferedInputStream open() {
            try {
                InputStream source = in == null ? System.in : Files.newInputStream(in);
                return new BufferedInputStream(source, MessageHeaders.PEEK_LIMIT);
            } catch (NoSuchFileException e) {
                throw new CommandFailure(ExitCode.ERROR, "the message " + in + " does not exist");
            } catch (IOException e) {
                throw new CommandFailure(ExitCode.ERROR, "cannot read " + in + ": " + e.getMessage());
            }
        }

        /** Copies the service's answer to --out (complete or not at all) or stdout. */
        void write(InputStream answer) {
            try (InputStream body = answer) {
                if (out == null) {
                    PrintStream stdout = System.out;
                    body.transferTo(stdout);
                    stdout.flush();
                    return;
                }
                Path target = out.toAbsolutePath();
                Files.createDirectories(target.getParent());
                Path partial = target.resolveSibling(target.getFileName() + ".partial");
                try (OutputStream file = Files.newOutputStream(partial)) {
                    body.transferTo(file);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new CommandFailure(ExitCode.UNREACHABLE, "the answer broke off: " + e.getMessage());
            }
        }
    }

    static Optional<String> header(BufferedInputStream message, String name) {
        try {
            return MessageHeaders.peek(message).firstAddress(name);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "cannot read the message: " + e.getMessage());
        }
    }

    static String query(List<String> parameters) {
        return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
    }

    static InputStream send(ClientOptions options, PlatformClient client, String path, BufferedInputStream message,
            String what) {
        return send(options, client, path, message, PlatformClient.RFC822, what);
    }

    static InputStream send(ClientOptions options, PlatformClient client, String path, BufferedInputStream message,
            String accept, String what) {
        return client.postStream(PlatformService.CRYPTO, path, PlatformClient.RFC822,
                () -> Progress.of(message, options.err(), what, System.console() != null), accept, what);
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, header = "Sign a message (pki sign < in.eml > out.eml).", description = {
            "Signs as --signer, else the From address, with that mailbox's key in keystore-service; acts as that"
                    + " mailbox (pki-user) unless --as or --token say otherwise."})
    static final class Sign implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Mixin
        Streams streams;

        @Option(names = "--signer", paramLabel = "EMAIL", description = "Sign as this mailbox (default: From).")
        String signer;

        @Option(names = "--mode", defaultValue = "detached", description = "detached (multipart/signed, default) or"
                + " opaque (signed-data).")
        String mode;

        @Override
        public Integer call() {
            if (!mode.equals("detached") && !mode.equals("opaque")) {
                throw new CommandFailure(ExitCode.ERROR, "--mode must be detached or opaque");
            }
            BufferedInputStream message = streams.open();
            String actor = signer != null ? signer : header(message, "From").orElse(null);
            List<String> parameters = new ArrayList<>(List.of("mode=" + mode));
            if (signer != null) {
                parameters.add("signer=" + PlatformClient.encode(signer));
            }
            streams.write(send(options, options.client(actor), "/api/v1/smime/sign" + query(parameters), message,
                    "sign the message"));
            return ExitCode.OK;
        }
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true, header = "Encrypt a message (pki encrypt < in.eml > out.eml).", description = {
            "Encrypts to every To/Cc/Bcc address (or each --recipient) and the sender, with the certificates the"
                    + " directory offers; refused, naming each recipient and why, when one has none usable.",
            "--sign signs first (as the From address) and then encrypts."})
    static final class Encrypt implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Mixin
        Streams streams;

        @Option(names = "--recipient", paramLabel = "EMAIL", description = "Encrypt to these instead of the"
                + " message's To/Cc/Bcc; repeat for several.")
        List<String> recipients = new ArrayList<>();

        @Option(names = "--sign", description = "Sign (as the From address) and then encrypt.")
        boolean sign;

        @Override
        public Integer call() {
            BufferedInputStream message = streams.open();
            List<String> parameters = new ArrayList<>();
            recipients.forEach(recipient -> parameters.add("recipient=" + PlatformClient.encode(recipient)));
            String actor = sign ? header(message, "From").orElse(null) : null;
            String path = sign ? "/api/v1/smime/sign-and-encrypt" : "/api/v1/smime/encrypt";
            streams.write(send(options, options.client(actor), path + query(parameters), message,
                    sign ? "sign and encrypt the message" : "encrypt the message"));
            return ExitCode.OK;
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true, header = "Decrypt a message (pki decrypt < in.eml > out.eml).", description = {
            "The key is chosen from the message's recipient infos; the command acts as the first To address"
                    + " (pki-user) unless --as or --token say otherwise."})
    static final class Decrypt implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Mixin
        Streams streams;

        @Override
        public Integer call() {
            BufferedInputStream message = streams.open();
            String actor = header(message, "To").orElse(null);
            streams.write(send(options, options.client(actor), "/api/v1/smime/decrypt", message,
                    "decrypt the message"));
            return ExitCode.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, header = "Verify a signed message (pki verify < in.eml).", description = {
            "Prints each check on its own (signature, chain, revocation, signing time, From address)."
                    + " Exit code 0 when every check passed, 1 otherwise."})
    static final class Verify implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Option(names = "--in", paramLabel = "FILE.eml", description = "Read the message from FILE (default: stdin).")
        Path in;

        @Override
        public Integer call() {
            Streams streams = new Streams();
            streams.in = in;
            BufferedInputStream message = streams.open();
            JsonNode report;
            String raw;
            try (InputStream answer = send(options, options.client(), "/api/v1/smime/verify", message,
                    PlatformClient.JSON, "verify the message")) {
                byte[] body = answer.readAllBytes();
                raw = new String(body, java.nio.charset.StandardCharsets.UTF_8);
                report = Json.read(body);
            } catch (IOException e) {
                throw new CommandFailure(ExitCode.UNREACHABLE, "the answer broke off: " + e.getMessage());
            }
            options.out().print(options.json ? raw + System.lineSeparator() : describe(report));
            options.out().flush();
            return report.path("valid").asBoolean(false) ? ExitCode.OK : ExitCode.ERROR;
        }

        static String describe(JsonNode report) {
            JsonNode signer = report.path("signer");
            List<String> problems = IssueCommand.texts(report.path("problems"));
            String text = Table.fields("signed", yesNo(report, "signed"), "valid", yesNo(report, "valid"), "signature",
                    report.path("signatureValid").asBoolean(false) ? "matches the content" : "does not match",
                    "signer", signer.isMissingNode() || signer.isNull()
                            ? "-"
                            : Json.text(signer, "email") + " (" + Json.text(signer, "subject") + ")",
                    "sha-256", signer.isObject() ? Json.text(signer, "fingerprintSha256") : "-", "chain trusted",
                    yesNo(report, "chainTrusted"), "revocation", Json.text(report, "revocation", "-")
                            + (Json.text(report, "revocationDetail") != null
                                    ? " (" + Json.text(report, "revocationDetail") + ")"
                                    : ""),
                    "signing time", Json.text(report, "signingTime"), "format", Json.text(report, "format"),
                    "harvested", yesNo(report, "harvested"));
            StringBuilder all = new StringBuilder(text);
            problems.forEach(problem -> all.append("  problem: ").append(problem).append(System.lineSeparator()));
            return all.toString();
        }

        private static String yesNo(JsonNode report, String field) {
            return report.path(field).asBoolean(false) ? "yes" : "no";
        }
    }
}
