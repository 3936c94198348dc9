package dev.smimepki.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Local TCP ports: finding free ones and saying clearly when a wanted one is taken. */
public final class Ports {

    private Ports() {
    }

    /** A port that is free right now (the OS picks it; another process may still take it before we bind). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free local port", e);
        }
    }

    /** {@code count} distinct free ports, all held open together while picking so none is returned twice. */
    public static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
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
