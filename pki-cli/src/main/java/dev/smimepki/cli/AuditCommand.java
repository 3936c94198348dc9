package dev.smimepki.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pki audit verify}: whether the hash-chained audit logs of the services that keep one are intact. */
@Command(name = "audit", mixinStandardHelpOptions = true, header = "Check the services' audit logs.", subcommands = {
        AuditCommand.Verify.class}, synopsisSubcommandLabel = "COMMAND")
final class AuditCommand implements Runnable {

    /**
     * The services whose changes are audited: issuance, revocation, CAs; keys and their use; and in the consumers
     * (keystore-service, directory-service) the events they parked, replayed or discarded.
     */
    static final List<PlatformService> AUDITED = List.of(PlatformService.CA, PlatformService.KEYSTORE,
            PlatformService.DIRECTORY);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: verify");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, header = "Walk the audit chains of ca-service,"
            + " keystore-service and directory-service and name the first edited, deleted or reordered entry.", description = "Each run"
                    + " also proves that every chain still holds the last entry the previous run saw (kept in the"
                    + " witness file), then records the new last entries there: a chain rewritten or cut back by"
                    + " someone who can write its whole database, head included, is caught up to that entry. Keep"
                    + " a copy of the witness file where the database's administrators cannot write.", exitCodeListHeading = "%nExit"
                            + " codes:%n", exitCodeList = {"0:every chain is intact",
                                    "1:a chain is broken (the line names its first broken entry), or a service refused",
                                    "2:a service does not answer"})
    static final class Verify implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Option(names = "--witness", paramLabel = "FILE", description = "Witness file: the last entry of each chain"
                + " as verified before (default: .pki/audit-witness.json).")
        Path witnessFile;

        @Override
        public Integer call() {
            // one token for every service; without one nothing can be asked
            String token = options.token(null).get();
            PlatformClient client = new PlatformClient(options.pki().urls(), () -> token);
            Path witnessPath = witnessFile != null
                    ? witnessFile
                    : options.pki().home().stateDir().resolve("audit-witness.json");
            JsonNode witnessed = witnesses(witnessPath);
            Map<String, Object> witnesses = new LinkedHashMap<>();
            Map<String, Object> answers = new LinkedHashMap<>();
            boolean broken = false;
            int failure = ExitCode.OK;
            for (PlatformService service : AUDITED) {
                JsonNode witness = witnessed.path(service.id());
                if (witness.path("sequence").asLong(0) >= 1 && witness.has("hash")) {
                    witnesses.put(service.id(), witness);
                }
                try {
                    String path = "/api/v1/audit/verify" + (witnesses.containsKey(service.id())
                            ? "?witnessSequence=" + witness.path("sequence").asLong() + "&witnessHash="
                                    + witness.path("hash").asText()
                            : "");
                    JsonNode verification = client.get(service, path, PlatformClient.JSON, true,
                            "verify its audit log").json();
                    answers.put(service.id(), verification);
                    boolean valid = verification.path("valid").asBoolean(false);
                    broken |= !valid;
                    // an empty chain has nothing to witness (its head is entry 0, which cannot be asked for)
                    if (valid && verification.path("lastSequence").asLong(0) >= 1 && verification.has("lastHash")) {
                        witnesses.put(service.id(), Map.of("sequence", verification.path("lastSequence").asLong(),
                                "hash", verification.path("lastHash").asText()));
                    }
                    if (!options.json) {
                        options.out().println(line(service, verification, witnessed.path(service.id())));
                    }
                } catch (CommandFailure e) {
                    failure = Math.max(failure, e.exitCode());
                    answers.put(service.id(), Map.of("error", e.getMessage()));
                    if (!options.json) {
                        options.out().println(service.id() + ": not checked: " + e.getMessage());
                    }
                }
            }
            if (!witnesses.isEmpty()) {
                // only valid chains move their witness forward; a broken one keeps what it was last seen to hold
                Files2.write(witnessPath, Json.pretty(witnesses) + "\n");
            }
            if (options.json) {
                options.out().println(Json.pretty(answers));
            }
            options.out().flush();
            // a broken chain is the finding that matters most, whatever else failed
            return broken ? ExitCode.ERROR : failure;
        }

        /** The entries the last run saw, per service; nothing before the first run. */
        static JsonNode witnesses(Path file) {
            if (!Files.isRegularFile(file)) {
                return MissingNode.getInstance();
            }
            try {
                return Json.read(Files2.read(file, "the audit witness file"));
            } catch (CommandFailure e) {
                throw new CommandFailure(ExitCode.ERROR, "the audit witness file " + file + " is not the JSON this"
                        + " command writes; restore it from your copy");
            }
        }

        static String line(PlatformService service, JsonNode verification, JsonNode witness) {
            long entries = verification.path("entries").asLong();
            if (verification.path("valid").asBoolean(false)) {
                return service.id() + ": valid, " + entries + " entries" + (witness.path("sequence").asLong(0) >= 1
                        ? ", still holds witnessed entry " + witness.path("sequence").asLong()
                        : "");
            }
            return service.id() + ": BROKEN at entry " + Json.text(verification, "firstBrokenSequence", "?") + ": "
                    + Json.text(verification, "problem", "no reason given") + " (" + entries + " entries checked)";
        }
    }
}
