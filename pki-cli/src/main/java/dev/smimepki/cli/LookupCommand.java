package dev.smimepki.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pki lookup ADDRESS}: what the directory would encrypt to, and why not the others. */
@Command(name = "lookup", mixinStandardHelpOptions = true, header = "Look a mailbox up in the directory.", description = {
        "Shows the certificate to encrypt to and, for every other certificate of the address, why it was not"
                + " chosen. Exit code 3 when the directory knows no certificate for the address."})
final class LookupCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", paramLabel = "ADDRESS")
    String address;

    @Override
    public Integer call() {
        PlatformClient.Answer answer = options.client().get(PlatformService.DIRECTORY, "/api/v1/directory/"
                + PlatformClient.encode(address.strip()), PlatformClient.JSON, false, "look up " + address);
        JsonNode entry = answer.json();
        if (options.json) {
            options.out().println(answer.text());
        } else {
            options.out().print(describe(entry));
        }
        options.out().flush();
        return entry.path("certificates").isEmpty() ? ExitCode.NOT_FOUND : ExitCode.OK;
    }

    static String describe(JsonNode entry) {
        StringBuilder text = new StringBuilder();
        String preferred = Json.text(entry, "preferred");
        text.append(Json.text(entry, "email")).append(": ");
        text.append(preferred != null
                ? "encrypt to " + preferred
                : "no certificate to encrypt to (" + Json.text(entry, "reason", "no reason given") + ")");
        text.append(System.lineSeparator());
        Table table = new Table("SHA-256", "SERIAL", "STATUS", "SOURCE", "TRUST", "NOT AFTER", "WHY NOT");
        for (JsonNode certificate : entry.path("certificates")) {
            List<String> why = new ArrayList<>();
            certificate.path("rejectedBecause").forEach(reason -> why.add(reason.asText()));
            boolean chosen = certificate.path("fingerprintSha256").asText().equals(preferred);
            table.row(abbreviated(Json.text(certificate, "fingerprintSha256")), Json.text(certificate, "serial"),
                    Json.text(certificate, "status"), Json.text(certificate, "source"), Json.text(certificate, "trust"),
                    Json.text(certificate, "notAfter"), chosen ? "(preferred)" : String.join("; ", why));
        }
        if (!table.isEmpty()) {
            text.append(table.render());
        }
        return text.toString();
    }

    /** The first 16 hex digits: enough to tell certificates apart on a terminal; --json has them whole. */
    static String abbreviated(String fingerprint) {
        return fingerprint == null || fingerprint.length() <= 16 ? fingerprint : fingerprint.substring(0, 16) + "…";
    }
}
