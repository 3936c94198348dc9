package dev.smimepki.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fixed address in front of every instance of a service, as a Kubernetes Service is: each connection goes to the
 * next instance in turn, and a connection an instance refuses (it is down) is tried on the others. What services call
 * each other through, so that one instance of a service can die while the others keep serving its callers.
 */
final class ServiceFront implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final String service;
    private final ServerSocket server;
    private final List<Integer> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService connections;

    ServiceFront(String service) {
        this.service = service;
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the front of " + service, e);
        }
        connections = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, service + "-front");
            thread.setDaemon(true);
            return thread;
        });
        connections.execute(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    void add(int port) {
        backends.add(port);
    }

    void remove(int port) {
        backends.remove(Integer.valueOf(port));
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing left to serve
        }
        connections.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.execute(() -> forward(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** To the next instance that accepts the connection; with none up, the caller's connection is closed. */
    private void forward(Socket client) {
        List<Integer> ports = List.copyOf(backends);
        int first = Math.floorMod(next.getAndIncrement(), Math.max(1, ports.size()));
        for (int i = 0; i < ports.size(); i++) {
            Socket backend = new Socket();
            try {
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        ports.get((first + i) % ports.size())), CONNECT_TIMEOUT_MILLIS);
            } catch (IOException refused) {
                closeQuietly(backend);
                continue;
            }
            AtomicInteger open = new AtomicInteger(2);
            connections.execute(() -> pump(backend, client, open));
            pump(client, backend, open);
            return;
        }
        closeQuietly(client);
    }

    /**
     * Copies one direction until it ends and passes the end on; the second direction to end closes both sockets. A
     * reset on either side (an instance killed mid-request) closes both at once, as the caller would see it.
     */
    private static void pump(Socket from, Socket to, AtomicInteger open) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
            return;
        }
        if (open.decrementAndGet() == 0) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public String toString() {
        return service + " front " + url() + " -> " + backends;
    }
}
