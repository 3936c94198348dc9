package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void aLiveProcessIsRunning() {
        PidFile pidFile = new PidFile(dir.resolve("pids/kafka.pid"));
        pidFile.write(ProcessHandle.current());

        assertEquals(ProcessHandle.current().pid(), pidFile.liveProcess().orElseThrow().pid());
        assertFalse(pidFile.isStale());
    }

    @Test
    void aPidFileOfAnExitedProcessIsStale() throws Exception {
        Process process = new ProcessBuilder("true").start();
        PidFile pidFile = new PidFile(dir.resolve("ca-service.pid"));
        pidFile.write(process.toHandle());
        process.waitFor();

        assertTrue(pidFile.liveProcess().isEmpty());
        assertTrue(pidFile.isStale());
    }

    @Test
    void aReusedPidIsNotOurProcess() throws Exception {
        // our pid, but a start time of 1970: the pid now belongs to another process
        Path path = dir.resolve("supervisor.pid");
        Files.writeString(path, ProcessHandle.current().pid() + "\n0\n");

        assertTrue(new PidFile(path).liveProcess().isEmpty());
    }

    @Test
    void aMissingOrGarbledPidFileIsNotRunning() throws Exception {
        assertTrue(new PidFile(dir.resolve("missing.pid")).liveProcess().isEmpty());
        assertFalse(new PidFile(dir.resolve("missing.pid")).isStale());
        Path garbled = dir.resolve("garbled.pid");
        Files.writeString(garbled, "not a pid\n");
        assertTrue(new PidFile(garbled).liveProcess().isEmpty());
        assertTrue(new PidFile(garbled).isStale());
    }

    @Test
    void aPidFileWithoutStartTimeTrustsThePid() throws Exception {
        Path path = dir.resolve("postgres.pid");
        Files.writeString(path, ProcessHandle.current().pid() + "\n");

        assertTrue(new PidFile(path).liveProcess().isPresent());
    }
}
