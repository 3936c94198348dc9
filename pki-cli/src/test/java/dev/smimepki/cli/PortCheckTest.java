package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.smimepki.infra.Ports;

class PortCheckTest {

    @Test
    void aTakenPortIsReportedWithItsOwner() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = socket.getLocalPort();

            List<String> taken = UpCommand.takenPorts(Map.of(port, "ca-service"));

            assertEquals(1, taken.size(), taken::toString);
            assertTrue(taken.get(0).startsWith("port " + port + " (ca-service) is in use by pid "
                    + ProcessHandle.current().pid()), taken::toString);
        }
    }

    @Test
    void aFreePortIsNotReported() {
        int port = Ports.freePort();

        assertTrue(UpCommand.takenPorts(Map.of(port, "Kafka")).isEmpty());
    }

    @Test
    void theOwnerOfAPortIsFoundInProc() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            assertEquals(ProcessHandle.current().pid(), PortOwner.pid(socket.getLocalPort()).orElseThrow());
        }
    }

    @Test
    void thePlatformPortsAreTheContractsOnes() {
        assertEquals(List.of(9092, 8081, 8082, 8083, 8084, 1389), List.copyOf(UpCommand.expectedPorts(false).keySet()));
        assertTrue(UpCommand.expectedPorts(true).containsKey(5433));
    }
}
