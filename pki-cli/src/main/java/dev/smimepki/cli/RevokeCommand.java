package dev.smimepki.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pki revoke SERIAL --reason R}: the CRL is re-signed and OCSP answers revoked within seconds. */
@Command(name = "revoke", mixinStandardHelpOptions = true, header = "Revoke a certificate.")
final class RevokeCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", paramLabel = "SERIAL", description = "The certificate's serial (hex, as pki issue shows).")
    String serial;

    @Option(names = "--reason", required = true, description = "RFC 5280 reason: unspecified, keyCompromise,"
            + " affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn, ...")
    String reason;

    @Override
    public Integer call() {
        PlatformClient.Answer answer = options.client().postJson(PlatformService.CA, "/api/v1/certificates/"
                + PlatformClient.encode(serial.strip()) + "/revoke", Map.of("reason", reason), PlatformClient.JSON,
                "revoke " + serial);
        if (options.json) {
            options.out().println(answer.text());
        } else {
            JsonNode certificate = answer.json();
            options.out().print(Table.fields("serial", Json.text(certificate, "serial"), "status",
                    Json.text(certificate, "status"), "reason", Json.text(certificate, "revocationReason"),
                    "revoked at", Json.text(certificate, "revokedAt"), "emails",
                    String.join(", ", IssueCommand.texts(certificate.path("emails")))));
        }
        options.out().flush();
        return ExitCode.OK;
    }
}
