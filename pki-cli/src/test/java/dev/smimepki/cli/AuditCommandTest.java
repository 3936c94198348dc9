package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.smimepki.infra.Ports;

/** {@code pki audit verify} against stand-in services: one line per service and exit codes 0, 1 and 2. */
class AuditCommandTest {
    private static final String VALID_12 = "{\"entries\":12,\"valid\":true}";
    private static final String HASH_12 = "ab".repeat(32);
    private static final String VALID_12_HEAD = "{\"entries\":12,\"valid\":true,\"lastSequence\":12,\"lastHash\":\""
            + HASH_12 + "\"}";
    private static final String CUT_BACK = "{\"entries\":0,\"valid\":false,\"firstBrokenSequence\":11,"
            + "\"problem\":\"the chain ends at entry 10 but entry 12 was witnessed\"}";
    private static final String VALID_3 = "{\"entries\":3,\"valid\":true}";
    private static final String VALID_1 = "{\"entries\":1,\"valid\":true}";
    private static final String BROKEN_57 = "{\"entries\":57,\"valid\":false,\"firstBrokenSequence\":57,"
            + "\"problem\":\"entry 57 does not match its hash: it was edited\"}";

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
    void everyChainIntactExitsZeroWithALinePerService() throws IOException {
        assertEquals(ExitCode.OK, verify(service(VALID_12), service(VALID_3)));
        assertEquals("ca-service: valid, 12 entries\nkeystore-service: valid, 3 entries\n"
                + "directory-service: valid, 1 entries\n", out.toString());
        assertEquals(List.of("GET /api/v1/audit/verify Bearer t", "GET /api/v1/audit/verify Bearer t",
                "GET /api/v1/audit/verify Bearer t"), requests);
    }

    @Test
    void aBrokenChainExitsOneNamingItsFirstBrokenEntry() throws IOException {
        assertEquals(ExitCode.ERROR, verify(service(VALID_12), service(BROKEN_57)));
        assertTrue(out.toString().contains("ca-service: valid, 12 entries"), out::toString);
        assertTrue(out.toString().contains("keystore-service: BROKEN at entry 57: entry 57 does not match its hash:"
                + " it was edited (57 entries checked)"), out::toString);
    }

    @Test
    void anUnreachableServiceExitsTwoAndTheOtherIsStillChecked() throws IOException {
        String dead = "http://127.0.0.1:" + Ports.freePort();
        assertEquals(ExitCode.UNREACHABLE, verify(dead, service(VALID_3)));
        assertTrue(out.toString().contains("ca-service: not checked: ca-service does not answer at " + dead),
                out::toString);
        assertTrue(out.toString().contains("keystore-service: valid, 3 entries"), out::toString);
        assertFalse(out.toString().contains("Exception"), out::toString);
    }

    @Test
    void aBrokenChainOutranksAnUnreachableService() throws IOException {
        String dead = "http://127.0.0.1:" + Ports.freePort();
        assertEquals(ExitCode.ERROR, verify(service(BROKEN_57), dead));
        assertTrue(out.toString().contains("ca-service: BROKEN at entry 57"), out::toString);
        assertTrue(out.toString().contains("keystore-service: not checked"), out::toString);
    }

    @Test
    void aRefusedTokenIsReportedPerService() throws IOException {
        String forbidden = stub(403, "application/problem+json", "{\"status\":403,\"detail\":\"pki-admin only\"}");
        assertEquals(ExitCode.ERROR, verify(forbidden, service(VALID_3)));
        assertTrue(out.toString().contains("ca-service: not checked: ca-service refused to verify its audit log"
                + " (HTTP 403): pki-admin only"), out::toString);
    }

    @Test
    void jsonOutputCarriesEachServicesAnswer() throws IOException {
        assertEquals(ExitCode.ERROR, verify(service(VALID_12), service(BROKEN_57), "--json"));
        JsonNode answers = Json.read(out.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(answers.path("ca-service").path("valid").asBoolean());
        assertEquals(57, answers.path("keystore-service").path("firstBrokenSequence").asLong());
    }

    @Test
    void theLastVerifiedEntryIsWitnessedAndHandedBackNextTime() throws IOException {
        assertEquals(ExitCode.OK, verify(service(VALID_12_HEAD), service(VALID_3)));
        Path witness = root.resolve(".pki/audit-witness.json");
        JsonNode saved = Json.read(java.nio.file.Files.readAllBytes(witness));
        assertEquals(12, saved.path("ca-service").path("sequence").asLong());
        assertEquals(HASH_12, saved.path("ca-service").path("hash").asText());
        assertFalse(saved.has("keystore-service"), saved::toString);

        requests.clear();
        assertEquals(ExitCode.OK, verify(service(VALID_12_HEAD), service(VALID_3)));
        assertEquals(List.of("GET /api/v1/audit/verify?witnessSequence=12&witnessHash=" + HASH_12 + " Bearer t",
                "GET /api/v1/audit/verify Bearer t", "GET /api/v1/audit/verify Bearer t"), requests);
        assertTrue(out.toString().contains("ca-service: valid, 12 entries, still holds witnessed entry 12"),
                out::toString);
    }

    @Test
    void anEmptyChainIsNotWitnessedAndAnEntryZeroWitnessIsIgnored() throws IOException {
        String empty = "{\"entries\":0,\"valid\":true,\"lastSequence\":0,\"lastHash\":\"" + "0".repeat(64) + "\"}";
        assertEquals(ExitCode.OK, verify(service(empty), service(VALID_3)));
        assertFalse(java.nio.file.Files.exists(root.resolve(".pki/audit-witness.json")), "nothing to witness");
        // as an earlier version wrote it: entry 0 cannot be asked for (the services refuse witnessSequence=0)
        java.nio.file.Files.createDirectories(root.resolve(".pki"));
        java.nio.file.Files.writeString(root.resolve(".pki/audit-witness.json"), "{\"ca-service\":{\"sequence\":0,"
                + "\"hash\":\"" + "0".repeat(64) + "\"}}");
        requests.clear();
        assertEquals(ExitCode.OK, verify(service(empty), service(VALID_3)));
        assertEquals("GET /api/v1/audit/verify Bearer t", requests.get(0));
        assertEquals("ca-service: valid, 0 entries\nkeystore-service: valid, 3 entries\n"
                + "directory-service: valid, 1 entries\n", out.toString());
    }

    @Test
    void aChainThatNoLongerHoldsItsWitnessIsBrokenAndKeepsTheWitness() throws IOException {
        Path witness = root.resolve("elsewhere/witness.json");
        assertEquals(ExitCode.OK, verify(service(VALID_12_HEAD), service(VALID_3), "--witness", witness.toString()));
        byte[] before = java.nio.file.Files.readAllBytes(witness);
        assertEquals(ExitCode.ERROR, verify(service(CUT_BACK), service(VALID_3), "--witness", witness.toString()));
        assertTrue(out.toString().contains("ca-service: BROKEN at entry 11: the chain ends at entry 10 but entry 12"
                + " was witnessed"), out::toString);
        assertEquals(new String(before, StandardCharsets.UTF_8),
                new String(java.nio.file.Files.readAllBytes(witness), StandardCharsets.UTF_8));
    }

    @Test
    void aDamagedWitnessFileIsNamed() throws IOException {
        Path witness = root.resolve("witness.json");
        java.nio.file.Files.writeString(witness, "not json");
        assertEquals(ExitCode.ERROR, verify(service(VALID_12_HEAD), service(VALID_3), "--witness", witness.toString()));
        assertTrue(err.toString().contains("the audit witness file " + witness + " is not the JSON"), err::toString);
    }

    @Test
    void usageAndMissingToken() {
        assertEquals(ExitCode.ERROR, run(List.of(), "audit"));
        assertTrue(err.toString().contains("missing command: verify"), err::toString);
        assertEquals(ExitCode.ERROR, run(List.of(), "audit", "verify"));
        assertTrue(err.toString().contains("no token: pass --token or set PKI_TOKEN"), err::toString);
        assertEquals(ExitCode.OK, run(List.of(), "--help"));
        assertTrue(out.toString().contains("audit"), out::toString);
    }

    @Test
    void directoryServicesChainIsCheckedToo() throws IOException {
        String directory = service(BROKEN_57);
        assertEquals(ExitCode.ERROR, run(List.of("--ca-url", service(VALID_12), "--keystore-url", service(VALID_3),
                "--directory-url", directory), "audit", "verify", "--token", "t"));
        assertTrue(out.toString().contains("keystore-service: valid, 3 entries\ndirectory-service: BROKEN at entry 57"),
                out::toString);
    }

    /** ca-service and keystore-service as given, directory-service with an intact chain of one entry. */
    private int verify(String caUrl, String keystoreUrl, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("audit", "verify", "--token", "t"));
        args.addAll(List.of(more));
        return run(List.of("--ca-url", caUrl, "--keystore-url", keystoreUrl, "--directory-url", service(VALID_1)),
                args.toArray(String[]::new));
    }

    private String service(String verification) throws IOException {
        return stub(200, "application/json", verification);
    }

    private String stub(int status, String contentType, String body) throws IOException {
        return stubs.service(status, contentType, body);
    }

    private int run(List<String> urls, String... args) {
        return StubServices.run(root, out, err, urls, args);
    }
}
