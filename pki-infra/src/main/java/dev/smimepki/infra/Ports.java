package dev.smimepki.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;

/** Local TCP ports: finding free ones and saying clearly when a wanted one is taken. */
public final class Ports {

    /** Below this, ports are left alone: well-known and registered services (PostgreSQL 5432, slapd 389...). */
    private static final int LOWEST_PICKED = 20_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ports() {
    }

    /** A port that is free right now ({@link #freePorts}; another process may still take it before we bind). */
    public static int freePort() {
        return freePorts(1)[0];
    }

    /**
     * {@code count} distinct free ports, all held open together while picking so none is returned twice. They are
     * picked at random below the kernel's ephemeral range (Linux: {@code /proc/sys/net/ipv4/ip_local_port_range},
     * usually 32768-60999), where the local end of an outgoing connection never lands: a port the OS handed out from
     * that range could be taken by any client connection between our check and the server's bind (a CI run saw a
     * service refuse to start that way).
     */
    public static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = bindBelowEphemeralRange();
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find " + count + " free local ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    private static ServerSocket bindBelowEphemeralRange() throws IOException {
        int high = ephemeralRangeStart() - 1;
        if (high - LOWEST_PICKED >= 1_000) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = LOWEST_PICKED + RANDOM.nextInt(high - LOWEST_PICKED + 1);
                ServerSocket socket = new ServerSocket();
                try {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                    return socket;
                } catch (IOException taken) {
                    closeQuietly(socket);
                }
            }
        }
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); // the OS's choice, as a last resort
    }

    /** The first port of the kernel's ephemeral range; 32768 where it cannot be read. */
    static int ephemeralRangeStart() {
        // read as a stream: procfs reports a size of 0, and Files.readString then read "3" of "32768\t60999"
        try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /**
     * Whether something already listens on {@code port} or holds it: true when the port cannot be bound on all
     * interfaces, or a connection to 127.0.0.1 succeeds.
     */
    public static boolean isInUse(int port) {
        checkRange(port);
        try (ServerSocket socket = new ServerSocket()) {
            // servers set SO_REUSEADDR too, so connections left in TIME_WAIT by a stopped server do not count
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port), 1);
        } catch (IOException e) {
            return true;
        }
        return isAcceptingConnections("127.0.0.1", port, Duration.ofMillis(200));
    }

    /** Throws {@code IllegalStateException("port 8081 (ca-service HTTP) is already in use")} when the port is taken. */
    public static void requireFree(int port, String usedFor) {
        if (isInUse(port)) {
            throw new IllegalStateException("port " + port + " (" + usedFor + ") is already in use; stop whatever"
                    + " listens there (e.g. `ss -ltnp 'sport = :" + port + "'` shows it) or choose another port");
        }
    }

    /** Whether a TCP connection to {@code host:port} succeeds within {@code timeout}. */
    public static boolean isAcceptingConnections(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void checkRange(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a TCP port: " + port);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do: we only held it to keep the port distinct
            }
        }
    }
}
