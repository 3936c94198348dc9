package dev.smimepki.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pki keys EMAIL}: every key a mailbox ever had, newest first, superseded ones too. */
@Command(name = "keys", mixinStandardHelpOptions = true, header = "Show the key history of a mailbox.")
final class KeysCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", paramLabel = "EMAIL")
    String email;

    @Override
    public Integer call() {
        PlatformClient.Answer answer = options.client().get(PlatformService.KEYSTORE, "/api/v1/keys?email="
                + PlatformClient.encode(email), PlatformClient.JSON, true, "show the keys of " + email);
        if (options.json) {
            options.out().println(answer.text());
            options.out().flush();
            return ExitCode.OK;
        }
        Table table = new Table("KEY ID", "ALGORITHM", "ORIGIN", "STATUS", "CREATED", "CERTIFICATES");
        for (JsonNode key : answer.json()) {
            List<String> certificates = new ArrayList<>();
            for (JsonNode certificate : key.path("certificates")) {
                String revoked = Json.text(certificate, "revocationReason");
                certificates.add(Json.text(certificate, "serial") + " until " + Json.text(certificate, "notAfter")
                        + (revoked != null ? " revoked (" + revoked + ")" : ""));
            }
            table.row(Json.text(key, "keyId"), Json.text(key, "keyAlgorithm"), Json.text(key, "origin"),
                    Json.text(key, "status"), Json.text(key, "createdAt"),
                    certificates.isEmpty() ? "-" : String.join("; ", certificates));
        }
        if (table.isEmpty()) {
            options.out().println("no keys for " + email);
        } else {
            table.print(options.out());
        }
        options.out().flush();
        return ExitCode.OK;
    }
}
