package dev.smimepki.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void freePortsAreDistinctAndFree() {
        int[] ports = Ports.freePorts(3);
        assertEquals(3, ports.length);
        assertNotEquals(ports[0], ports[1]);
        assertNotEquals(ports[1], ports[2]);
        assertNotEquals(ports[0], ports[2]);
        for (int port : ports) {
            assertFalse(Ports.isInUse(port), "port " + port);
            // where no outgoing connection's local end can take it before a server binds it
            assertTrue(port >= 20_000 && port < Ports.ephemeralRangeStart(), "port " + port);
        }
    }

    @Test
    void aListeningPortIsInUseWithAClearMessage() throws IOException {
        int port;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = listener.getLocalPort();
            assertTrue(Ports.isInUse(port));
            assertTrue(Ports.isAcceptingConnections("127.0.0.1", port, Duration.ofSeconds(1)));
            int taken = port;
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Ports.requireFree(taken, "ca-service HTTP"));
            assertTrue(e.getMessage().startsWith("port " + port + " (ca-service HTTP) is already in use"),
                    e.getMessage());
        }
        assertFalse(Ports.isInUse(port));
        Ports.requireFree(port, "ca-service HTTP");
    }

    @Test
    void rejectsImpossiblePorts() {
        assertThrows(IllegalArgumentException.class, () -> Ports.isInUse(0));
        assertThrows(IllegalArgumentException.class, () -> Ports.isInUse(70000));
    }
}
