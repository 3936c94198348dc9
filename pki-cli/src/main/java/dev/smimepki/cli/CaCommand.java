package dev.smimepki.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pki ca create|list|import}: certificate authorities in ca-service. */
@Command(name = "ca", mixinStandardHelpOptions = true, header = "Create, list and import certificate authorities.", subcommands = {
        CaCommand.Create.class, CaCommand.List.class, CaCommand.Import.class}, synopsisSubcommandLabel = "COMMAND")
final class CaCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: create, list or import");
    }

    /** Root CAs live ten years, issuing CAs five, unless told otherwise. */
    static final int ROOT_VALIDITY_DAYS = 3650;
    static final int ISSUING_VALIDITY_DAYS = 1825;

    @Command(name = "create", mixinStandardHelpOptions = true, header = "Create a root CA, or an issuing CA under --issuer.")
    static final class Create implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Option(names = "--name", required = true, description = "A name for people, e.g. 'Family Root'.")
        String name;

        @Option(names = "--subject", required = true, description = "Distinguished name, e.g. 'CN=Family Root CA,O=Family'.")
        String subject;

        @Option(names = "--key-algorithm", defaultValue = "EC_P256", description = "RSA_2048, RSA_3072, RSA_4096,"
                + " EC_P256 or EC_P384 (default: ${DEFAULT-VALUE}; RSA for gpgsm 2.2 users).")
        String keyAlgorithm;

        @Option(names = "--validity-days", description = "Default: 3650 for a root, 1825 for an issuing CA.")
        Integer validityDays;

        @Option(names = "--issuer", paramLabel = "CAID", description = "The CA that signs this one; without it: a"
                + " self-signed root.")
        String issuer;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("subject", subject);
            body.put("keyAlgorithm", keyAlgorithm);
            body.put("validityDays", validityDays != null
                    ? validityDays
                    : issuer == null ? ROOT_VALIDITY_DAYS : ISSUING_VALIDITY_DAYS);
            if (issuer != null) {
                body.put("issuerCaId", issuer);
            }
            PlatformClient.Answer answer = options.client().postJson(PlatformService.CA, "/api/v1/cas", body,
                    PlatformClient.JSON, "create the CA");
            if (options.json) {
                options.out().println(answer.text());
            } else {
                options.out().print(describe(answer.json()));
            }
            options.out().flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "List the CAs.")
    static final class List implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Override
        public Integer call() {
            PlatformClient.Answer answer = options.client().get(PlatformService.CA, "/api/v1/cas", PlatformClient.JSON,
                    true, "list the CAs");
            if (options.json) {
                options.out().println(answer.text());
                options.out().flush();
                return ExitCode.OK;
            }
            JsonNode cas = answer.json();
            Table table = new Table("ID", "NAME", "KEY", "NOT AFTER", "ISSUER", "SUBJECT");
            for (JsonNode ca : cas) {
                table.row(Json.text(ca, "id"), Json.text(ca, "name"), Json.text(ca, "keyAlgorithm"),
                        Json.text(ca, "notAfter"), Json.text(ca, "issuerCaId", "(root)"), Json.text(ca, "subject"));
            }
            if (table.isEmpty()) {
                options.out().println("no CAs yet; pki ca create makes one");
            } else {
                table.print(options.out());
            }
            options.out().flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, header = "Bring an existing CA (key, certificate and"
            + " chain in a PKCS#12 file).")
    static final class Import implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Parameters(index = "0", paramLabel = "FILE.p12", description = "The CA's PKCS#12 file.")
        Path file;

        @Option(names = "--password-file", required = true, paramLabel = "FILE", description = "File whose first"
                + " line is the PKCS#12 password.")
        Path passwordFile;

        @Option(names = "--name", description = "A name for people (default: from the certificate).")
        String name;

        @Override
        public Integer call() {
            byte[] pkcs12 = Files2.read(file, "the PKCS#12 file");
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("password", Passwords.firstLine(passwordFile));
            if (name != null) {
                fields.put("name", name);
            }
            PlatformClient.Answer answer = options.client().postMultipart(PlatformService.CA, "/api/v1/cas/import",
                    fields, "pkcs12", file.getFileName().toString(), pkcs12, "import the CA");
            if (options.json) {
                options.out().println(answer.text());
            } else {
                options.out().print(describe(answer.json()));
            }
            options.out().flush();
            return ExitCode.OK;
        }
    }

    static String describe(JsonNode ca) {
        return Table.fields("id", Json.text(ca, "id"), "name", Json.text(ca, "name"), "subject",
                Json.text(ca, "subject"), "key", Json.text(ca, "keyAlgorithm"), "issuer",
                Json.text(ca, "issuerCaId", "(self-signed root)"), "valid", Json.text(ca, "notBefore") + " to "
                        + Json.text(ca, "notAfter"),
                "sha-256", Json.text(ca, "fingerprintSha256"));
    }
}
