package dev.smimepki.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pki issue}: an S/MIME certificate for one or more mailboxes, key made by the platform or from a CSR. */
@Command(name = "issue", mixinStandardHelpOptions = true, header = "Issue an S/MIME certificate.", description = {
        "Without --csr the key is generated in keystore-service and never leaves it (export it with pki export);"
                + " with --csr you keep your key and only the certificate comes back."})
final class IssueCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Option(names = "--ca", required = true, paramLabel = "CAID", description = "The issuing CA (pki ca list).")
    String ca;

    @Option(names = "--email", required = true, paramLabel = "ADDRESS", description = "A mailbox of the certificate;"
            + " repeat for several.")
    List<String> emails;

    @Option(names = "--csr", paramLabel = "FILE", description = "PEM PKCS#10 request made with your own key.")
    Path csr;

    @Option(names = "--key-algorithm", description = "For a generated key: RSA_2048 (default), RSA_3072, RSA_4096,"
            + " EC_P256, EC_P384.")
    String keyAlgorithm;

    @Option(names = "--profile", description = "multipurpose (default) or strict.")
    String profile;

    @Option(names = "--usage", description = "dual (default), signing or encryption.")
    String usage;

    @Option(names = "--common-name", paramLabel = "CN", description = "The subject's CN (default: the first mailbox).")
    String commonName;

    @Option(names = "--validity-days", paramLabel = "DAYS", description = "At most 825.")
    Integer validityDays;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write cert.pem and chain.pem into DIR.")
    Path out;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("caId", ca);
        body.put("emails", emails);
        putIfSet(body, "commonName", commonName);
        putIfSet(body, "profile", profile);
        putIfSet(body, "usage", usage);
        putIfSet(body, "validityDays", validityDays);
        putIfSet(body, "keyAlgorithm", keyAlgorithm);
        if (csr != null) {
            body.put("csr", Files2.readText(csr, "the CSR"));
        }
        PlatformClient.Answer answer = options.client().postJson(PlatformService.CA, "/api/v1/certificates", body,
                PlatformClient.JSON, "issue the certificate");
        JsonNode certificate = answer.json();
        if (out != null) {
            Files2.write(out.resolve("cert.pem"), Json.text(certificate, "certificatePem", ""));
            Files2.write(out.resolve("chain.pem"), Json.text(certificate, "chainPem", ""));
        }
        if (options.json) {
            options.out().println(answer.text());
        } else {
            options.out().print(describe(certificate));
            if (out != null) {
                options.out().println("wrote " + out.resolve("cert.pem") + " and " + out.resolve("chain.pem"));
            }
        }
        options.out().flush();
        return ExitCode.OK;
    }

    static String describe(JsonNode certificate) {
        String keyId = Json.text(certificate, "keyId");
        return Table.fields("serial", Json.text(certificate, "serial"), "emails",
                String.join(", ", texts(certificate.path("emails"))), "profile", Json.text(certificate, "profile"),
                "valid", Json.text(certificate, "notBefore") + " to " + Json.text(certificate, "notAfter"), "sha-256",
                Json.text(certificate, "fingerprintSha256"), "key", keyId != null
                        ? keyId + " (in keystore-service; pki export " + keyId + " --profile modern --out FILE.p12)"
                        : "yours (from the CSR)");
    }

    static List<String> texts(JsonNode array) {
        java.util.ArrayList<String> texts = new java.util.ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static void putIfSet(Map<String, Object> body, String name, Object value) {
        if (value != null) {
            body.put(name, value);
        }
    }
}
