package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.smimepki.cli.StubServices.Answer;
import dev.smimepki.infra.Ports;

/** {@code pki events parked|replay|discard} against stand-in services: requests, table, exit codes. */
class EventsCommandTest {
    private static final String NONE = "{\"items\":[],\"page\":0,\"size\":100,\"total\":0}";
    private static final String ITEM = "{\"id\":7,\"topic\":\"pki.certificates\",\"partition\":1,\"offset\":42,"
            + "\"key\":\"ab\",\"ceId\":\"e1\",\"ceType\":\"dev.smimepki.certificate.issued\",\"ceSource\":\"/ca-service\","
            + "\"ceTime\":\"2026-12-07T10:00:00Z\",\"payload\":\"{}\",\"reason\":\"not applied after 5 attempts: "
            + "check constraint\\n  refused\",\"attempts\":5,\"parkedAt\":\"2026-12-07T10:00:02Z\"}";

    @TempDir
    Path root;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final StubServices stubs = new StubServices();
    private final List<String> requests = stubs.requests();

    @AfterEach
    void stop() {
        stubs.close();
    }

    @Test
    void parkedListsBothConsumersOneRowPerEvent() throws IOException {
        String keystore = stub(Map.of("GET /api/v1/events/parked", json(NONE)));
        String directory = stub(Map.of("GET /api/v1/events/parked", json("{\"items\":[" + ITEM
                + "],\"page\":0,\"size\":100,\"total\":1}")));
        assertEquals(ExitCode.OK, run(keystore, directory, "events", "parked", "--token", "t"));
        assertEquals(List.of("GET /api/v1/events/parked?size=100&page=0 Bearer t",
                "GET /api/v1/events/parked?size=100&page=0 Bearer t"), requests);
        String table = out.toString();
        assertTrue(table.startsWith("SERVICE"), table);
        assertTrue(
                table.contains("directory-service  7   dev.smimepki.certificate.issued  e1     pki.certificates-1@42"),
                table);
        assertTrue(table.contains("not applied after 5 attempts: check constraint refused"), table);
        assertFalse(table.contains("keystore-service"), "nothing parked there: " + table);
    }

    @Test
    void nothingParkedSaysSo() throws IOException {
        String both = stub(Map.of("GET /api/v1/events/parked", json(NONE)));
        assertEquals(ExitCode.OK, run(both, both, "events", "parked", "--token", "t", "--service", "keystore"));
        assertEquals("no parked events\n", out.toString());
        assertEquals(1, requests.size(), "only keystore-service asked: " + requests);
    }

    @Test
    void everyPageIsRead() throws IOException {
        StringBuilder hundred = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 100; i++) {
            hundred.append(i == 0 ? "" : ",").append(ITEM.replace("\"id\":7", "\"id\":" + (i + 1)));
        }
        hundred.append("],\"page\":0,\"size\":100,\"total\":101}");
        String directory = stub(Map.of("GET /api/v1/events/parked?size=100&page=0", json(hundred.toString()),
                "GET /api/v1/events/parked?size=100&page=1", json("{\"items\":[" + ITEM.replace("\"id\":7",
                        "\"id\":101") + "],\"page\":1,\"size\":100,\"total\":101}")));
        assertEquals(ExitCode.OK, run(directory, directory, "events", "parked", "--token", "t", "--service",
                "directory-service", "--json"));
        JsonNode answer = Json.read(out.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(101, answer.path("directory-service").size());
        assertEquals(101, answer.path("directory-service").get(100).path("id").asLong());
    }

    @Test
    void anUnreachableServiceExitsTwoAndTheOtherIsStillListed() throws IOException {
        String dead = "http://127.0.0.1:" + Ports.freePort();
        String directory = stub(Map.of("GET /api/v1/events/parked", json("{\"items\":[" + ITEM
                + "],\"page\":0,\"size\":100,\"total\":1}")));
        assertEquals(ExitCode.UNREACHABLE, run(dead, directory, "events", "parked", "--token", "t"));
        assertTrue(out.toString().contains("directory-service  7"), out::toString);
        assertTrue(out.toString().contains("keystore-service: not listed: keystore-service does not answer at "
                + dead), out::toString);
    }

    @Test
    void replayAndDiscardNameTheEvent() throws IOException {
        String held = ITEM.replace("\"id\":7", "\"id\":9").replace("\"ceId\":\"e1\"", "\"ceId\":\"e2\"")
                .replace("certificate.issued", "certificate.revoked");
        String directory = stub(Map.of("POST /api/v1/events/parked/7/replay", json("{\"items\":[" + ITEM + "," + held
                + "]}"), "DELETE /api/v1/events/parked/7", json(ITEM)));
        assertEquals(ExitCode.OK, run(directory, directory, "events", "replay", "directory", "7", "--token", "t"));
        assertEquals("directory-service: parked event 7 (dev.smimepki.certificate.issued e1) published again\n"
                + "directory-service: parked event 9 (dev.smimepki.certificate.revoked e2) published again, behind 7\n",
                out.toString());
        assertEquals(ExitCode.OK, run(directory, directory, "events", "discard", "directory", "7", "--token", "t"));
        assertEquals("directory-service: parked event 7 (dev.smimepki.certificate.issued e1) discarded\n",
                out.toString());
        assertEquals(List.of("POST /api/v1/events/parked/7/replay Bearer t",
                "DELETE /api/v1/events/parked/7 Bearer t"), requests);
    }

    @Test
    void aRefusedReplayCarriesTheServicesReasonAndAnUnknownIdExitsThree() throws IOException {
        String directory = stub(Map.of(
                "POST /api/v1/events/parked/7/replay", new Answer(422, "application/problem+json",
                        "{\"status\":422,\"code\":\"parked-event-not-replayable\",\"detail\":\"parked event 7 cannot"
                                + " be published again: it is malformed: empty body; discard it instead\"}"),
                "POST /api/v1/events/parked/8/replay", new Answer(404, "application/problem+json",
                        "{\"status\":404,\"detail\":\"no parked event 8\"}")));
        assertEquals(ExitCode.ERROR, run(directory, directory, "events", "replay", "directory", "7", "--token", "t"));
        assertTrue(err.toString().contains("directory-service refused to replay parked event 7 (HTTP 422): parked"
                + " event 7 cannot be published again: it is malformed: empty body; discard it instead"),
                err::toString);
        assertEquals(ExitCode.NOT_FOUND, run(directory, directory, "events", "replay", "directory", "8", "--token",
                "t"));
        assertTrue(err.toString().contains("no parked event 8"), err::toString);
    }

    @Test
    void usage() {
        assertEquals(ExitCode.ERROR, run("http://unused", "http://unused", "events"));
        assertTrue(err.toString().contains("missing command: parked, replay or discard"), err::toString);
        assertEquals(ExitCode.ERROR, run("http://unused", "http://unused", "events", "replay", "ca", "7", "--token",
                "t"));
        assertTrue(err.toString().contains("'ca' parks no events: keystore or directory"), err::toString);
        assertEquals(ExitCode.ERROR, run("http://unused", "http://unused", "events", "discard", "directory", "x",
                "--token", "t"));
        assertTrue(requests.isEmpty());
    }

    private static Answer json(String body) {
        return Answer.json(body);
    }

    private String stub(Map<String, Answer> answers) throws IOException {
        return stubs.service(answers);
    }

    private int run(String keystoreUrl, String directoryUrl, String... args) {
        return StubServices.run(root, out, err, List.of("--keystore-url", keystoreUrl, "--directory-url",
                directoryUrl), args);
    }
}
