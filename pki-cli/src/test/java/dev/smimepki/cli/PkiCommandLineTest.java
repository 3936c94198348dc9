package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class PkiCommandLineTest {

    @TempDir
    Path root;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killStarted() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        assertEquals(ExitCode.OK, run("--help"));
        String help = out.toString();
        for (String expected : List.of("up", "status", "down", "Exit codes:", "130")) {
            assertTrue(help.contains(expected), () -> "help lacks " + expected + ":\n" + help);
        }
        assertFalse(help.contains("supervise"), "the internal command stays hidden");
    }

    @Test
    void unknownCommandIsAUsageErrorWithoutStackTrace() {
        assertEquals(ExitCode.ERROR, run("upp"));
        assertTrue(err.toString().contains("Unmatched argument"), err::toString);
        assertTrue(err.toString().contains("pki up"), "suggests the near command: " + err);
        assertFalse(err.toString().contains("at dev.smimepki"), err::toString);
    }

    @Test
    void timeoutMustBeAPositiveNumber() {
        assertEquals(ExitCode.ERROR, run("up", "--timeout", "soon"));
        assertEquals(ExitCode.ERROR, run("up", "--timeout", "0"));
        assertTrue(err.toString().contains("--timeout must be at least 1 second"), err::toString);
    }

    @Test
    void upOptionsParse() {
        CommandLine.ParseResult result = Pki.commandLine().parseArgs("up", "--foreground", "--timeout=30");
        CommandLine.ParseResult up = result.subcommand();
        assertEquals("up", up.commandSpec().name());
        assertTrue(up.<Boolean>matchedOptionValue("--foreground", false));
        assertEquals(30, up.<Integer>matchedOptionValue("--timeout", 0));
    }

    @Test
    void statusOfANeverStartedPlatformIsNotRunning() {
        assertEquals(ExitCode.NOT_RUNNING, run("status"));
        assertTrue(out.toString().contains("not running"), out::toString);
        assertTrue(out.toString().contains("ca-service         -        8081   down"), out::toString);
    }

    @Test
    void downIsIdempotent() {
        assertEquals(ExitCode.OK, run("down"));
        assertTrue(out.toString().contains("not running"), out::toString);
        assertEquals(ExitCode.OK, run("down"));
    }

    @Test
    void stalePidFilesMeanNotRunningAndDownRemovesThem() throws Exception {
        PlatformHome home = new PlatformHome(root);
        home.pidFile(PlatformHome.SUPERVISOR).write(exitedProcess());
        home.pidFile("ca-service").write(exitedProcess());

        assertEquals(ExitCode.NOT_RUNNING, run("status"));
        assertTrue(out.toString().contains("not running"), out::toString);
        assertEquals(ExitCode.OK, run("down"));
        assertTrue(out.toString().contains("not running"), out::toString);
        assertFalse(Files.exists(home.pidFile("ca-service").path()));
    }

    @Test
    void downStopsWhatThePidFilesName() throws Exception {
        PlatformHome home = new PlatformHome(root);
        Process service = start("sleep", "300");
        home.pidFile("crypto-service").write(service.toHandle());

        assertEquals(ExitCode.OK, run("down"));

        assertFalse(service.isAlive(), "down leaves no process behind");
        assertTrue(out.toString().contains("stopping crypto-service (pid " + service.pid() + ")"), out::toString);
        assertTrue(out.toString().contains("no platform process left"), out::toString);
        assertFalse(Files.exists(home.pidFile("crypto-service").path()));
    }

    @Test
    void secondUpIsRefusedWhileTheSupervisorRuns() {
        new PlatformHome(root).pidFile(PlatformHome.SUPERVISOR).write(ProcessHandle.current());

        assertEquals(ExitCode.ERROR, run("up"));

        assertTrue(err.toString().contains("already running; ./pki status"), err::toString);
    }

    @Test
    void upNamesLeftoversOfAnEarlierRun() throws Exception {
        Process kafka = start("sleep", "300");
        new PlatformHome(root).pidFile(PlatformHome.KAFKA).write(kafka.toHandle());

        assertEquals(ExitCode.ERROR, run("up"));

        assertTrue(err.toString().contains("kafka pid " + kafka.pid()), err::toString);
        assertTrue(err.toString().contains("./pki down"), err::toString);
    }

    @Test
    void upRefusesAnUnbuiltPlatform() {
        assertEquals(ExitCode.ERROR, run("up"));

        assertTrue(err.toString().contains("not built"), err::toString);
        assertTrue(err.toString().contains("ca-service/target/quarkus-app/quarkus-run.jar"), err::toString);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine commandLine = Pki.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--home", root.toString()));
        all.addAll(List.of(args));
        return commandLine.execute(all.toArray(String[]::new));
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).start();
        started.add(process);
        return process;
    }

    private ProcessHandle exitedProcess() throws Exception {
        Process process = start("true");
        process.waitFor();
        return process.toHandle();
    }
}
