package dev.smimepki.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pki events parked|replay|discard}: the events keystore-service and directory-service could not apply and
 * parked (GET, POST .../replay and DELETE on {@code /api/v1/events/parked}, pki-admin).
 */
@Command(name = "events", mixinStandardHelpOptions = true, header = "List, replay or discard the events a service"
        + " parked.", subcommands = {EventsCommand.Parked.class, EventsCommand.Replay.class,
                EventsCommand.Discard.class}, synopsisSubcommandLabel = "COMMAND")
final class EventsCommand implements Runnable {

    /** The services that consume events, and so may park them. */
    static final List<PlatformService> CONSUMERS = List.of(PlatformService.KEYSTORE, PlatformService.DIRECTORY);
    private static final String PARKED = "/api/v1/events/parked";
    private static final int PAGE_SIZE = 100;
    private static final int REASON_WIDTH = 80;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: parked, replay or discard");
    }

    @Command(name = "parked", mixinStandardHelpOptions = true, header = "List the events keystore-service and"
            + " directory-service parked: refused by their database on every attempt, or malformed.", exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                    "0:listed (also when none is parked)",
                    "1:a service refused", "2:a service does not answer"})
    static final class Parked implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Option(names = "--service", paramLabel = "SERVICE", converter = ConsumerConverter.class, description = "Only this service: keystore or directory.")
        PlatformService service;

        @Override
        public Integer call() {
            PlatformClient client = options.client();
            Table table = new Table("SERVICE", "ID", "TYPE", "CE_ID", "RECORD", "PARKED AT", "ATTEMPTS", "REASON");
            Map<String, Object> answers = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            int exit = ExitCode.OK;
            for (PlatformService consumer : service == null ? CONSUMERS : List.of(service)) {
                try {
                    List<JsonNode> items = all(client, consumer);
                    answers.put(consumer.id(), items);
                    for (JsonNode item : items) {
                        table.row(consumer.id(), item.path("id").asLong(), Json.text(item, "ceType"),
                                Json.text(item, "ceId"), Json.text(item, "topic") + "-"
                                        + item.path("partition").asInt() + "@" + item.path("offset").asLong(),
                                Json.text(item, "parkedAt"), item.path("attempts").asInt(),
                                shortened(Json.text(item, "reason", "")));
                    }
                } catch (CommandFailure e) {
                    exit = Math.max(exit, e.exitCode());
                    answers.put(consumer.id(), Map.of("error", e.getMessage()));
                    failures.add(consumer.id() + ": not listed: " + e.getMessage());
                }
            }
            if (options.json) {
                options.out().println(Json.pretty(answers));
            } else {
                if (table.isEmpty()) {
                    options.out().println(failures.isEmpty() ? "no parked events" : "no parked events listed");
                } else {
                    table.print(options.out());
                }
                failures.forEach(options.out()::println);
            }
            options.out().flush();
            return exit;
        }

        /** Every page, oldest first. */
        private static List<JsonNode> all(PlatformClient client, PlatformService consumer) {
            List<JsonNode> items = new ArrayList<>();
            for (int page = 0;; page++) {
                JsonNode answer = client.get(consumer, PARKED + "?size=" + PAGE_SIZE + "&page=" + page,
                        PlatformClient.JSON, true, "list its parked events").json();
                answer.path("items").forEach(items::add);
                if (answer.path("items").size() < PAGE_SIZE || items.size() >= answer.path("total").asLong()) {
                    return items;
                }
            }
        }

        private static String shortened(String reason) {
            String line = reason.replaceAll("\\s+", " ");
            return line.length() <= REASON_WIDTH ? line : line.substring(0, REASON_WIDTH - 3) + "...";
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, header = "Publish a parked event again, after"
            + " fixing what refused it.", description = "It goes out again through that service's outbox with its"
                    + " ce_id, followed by the events of the same certificate parked behind it: consumers that"
                    + " applied one skip it; if one still fails it is parked again under a new id.")
    static final class Replay extends OnOneParked {
        @Override
        public Integer call() {
            return act(client -> client.post(service, PARKED + "/" + id + "/replay", PlatformClient.JSON,
                    "replay parked event " + id), "published again");
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true, header = "Drop a parked event for good (audited).")
    static final class Discard extends OnOneParked {
        @Override
        public Integer call() {
            return act(client -> client.delete(service, PARKED + "/" + id, PlatformClient.JSON,
                    "discard parked event " + id), "discarded");
        }
    }

    /** What replay and discard share: the service and id they act on, and the line they print. */
    abstract static class OnOneParked implements Callable<Integer> {

        @Mixin
        ClientOptions options;

        @Parameters(index = "0", paramLabel = "SERVICE", converter = ConsumerConverter.class, description = "keystore or directory: the service that parked it.")
        PlatformService service;

        @Parameters(index = "1", paramLabel = "ID", description = "Its id in `pki events parked`.")
        long id;

        /** Prints a line per parked event in the answer: one, or a replay's {@code items}. */
        int act(Function<PlatformClient, PlatformClient.Answer> request, String done) {
            JsonNode answer = request.apply(options.client()).json();
            if (options.json) {
                options.out().println(Json.pretty(answer));
            } else {
                List<JsonNode> events = new ArrayList<>();
                if (answer.has("items")) {
                    answer.path("items").forEach(events::add);
                } else {
                    events.add(answer);
                }
                for (JsonNode parked : events) {
                    long parkedId = parked.path("id").asLong();
                    options.out().println(service.id() + ": parked event " + parkedId + " (" + Json.text(parked,
                            "ceType") + " " + Json.text(parked, "ceId") + ") " + done
                            + (parkedId == id
                                    ? ""
                                    : ", behind " + id));
                }
            }
            options.out().flush();
            return ExitCode.OK;
        }
    }

    /** keystore, directory, or their full service names. */
    static final class ConsumerConverter implements CommandLine.ITypeConverter<PlatformService> {
        @Override
        public PlatformService convert(String value) {
            String name = value.strip().toLowerCase(Locale.ROOT);
            for (PlatformService consumer : CONSUMERS) {
                if (consumer.id().equals(name) || consumer.id().equals(name + "-service")) {
                    return consumer;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' parks no events: keystore or directory");
        }
    }
}
