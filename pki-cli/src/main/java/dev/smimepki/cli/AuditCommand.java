package dev.smimepki.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pki audit verify}: whether the hash-chained audit logs of the services that keep one are intact. */
@Command(name = "audit", mixinStandardHelpOptions = true, header = "Check the services' audit logs.", subcommands = {
        AuditCommand.Verify.class}, synopsisSubcommandLabel = "COMMAND")
final class AuditCommand implements Runnable {

    /** The services whose changes are audited (issuance, revocation, CAs; keys and their use). */
    static final List<PlatformService> AUDITED = List.of(PlatformService.CA, PlatformService.KEYSTORE);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: verify");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, header = "Walk the audit chain of ca-service and"
            + " keystore-service and name the first edited, deleted or reordered entry.", exitCodeListHeading = "%nExit"
                    + " codes:%n", exitCodeList = {"0:every chain is intact",
                            "1:a chain is broken (the line names its first broken entry), or a service refused",
                            "2:a service does not answer"})
    static final class Verify implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Override
        public Integer call() {
            // one token for both services; without one nothing can be asked
            String token = options.token(null).get();
            PlatformClient client = new PlatformClient(options.pki().urls(), () -> token);
            Map<String, Object> answers = new LinkedHashMap<>();
            boolean broken = false;
            int failure = ExitCode.OK;
            for (PlatformService service : AUDITED) {
                try {
                    JsonNode verification = client.get(service, "/api/v1/audit/verify", PlatformClient.JSON, true,
                            "verify its audit log").json();
                    answers.put(service.id(), verification);
                    boolean valid = verification.path("valid").asBoolean(false);
                    broken |= !valid;
                    if (!options.json) {
                        options.out().println(line(service, verification));
                    }
                } catch (CommandFailure e) {
                    failure = Math.max(failure, e.exitCode());
                    answers.put(service.id(), Map.of("error", e.getMessage()));
                    if (!options.json) {
                        options.out().println(service.id() + ": not checked: " + e.getMessage());
                    }
                }
            }
            if (options.json) {
                options.out().println(Json.pretty(answers));
            }
            options.out().flush();
            // a broken chain is the finding that matters most, whatever else failed
            return broken ? ExitCode.ERROR : failure;
        }

        static String line(PlatformService service, JsonNode verification) {
            long entries = verification.path("entries").asLong();
            if (verification.path("valid").asBoolean(false)) {
                return service.id() + ": valid, " + entries + " entries";
            }
            return service.id() + ": BROKEN at entry " + Json.text(verification, "firstBrokenSequence", "?") + ": "
                    + Json.text(verification, "problem", "no reason given") + " (" + entries + " entries checked)";
        }
    }
}
