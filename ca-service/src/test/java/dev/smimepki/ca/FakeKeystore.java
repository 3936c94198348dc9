package dev.smimepki.ca;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;

/**
 * Stands in for keystore-service's internal key API: generates real key pairs (the private half is dropped), keeps
 * the ids it handed out until they are discarded, and can be told to misbehave the ways that make an issuance fail
 * after a key was generated.
 */
final class FakeKeystore {
    private static final String KEYS = "/internal/v1/keys";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer server;

    /** How the next generations are answered. */
    enum Answer {
        /** A key of the type asked for, as keystore-service does. */
        KEY_ASKED_FOR,
        /** A key of another type than asked for. */
        OTHER_KEY_TYPE,
        /** A key id longer than ca-service's key_id column, so recording the certificate fails. */
        OVERLONG_KEY_ID
    }

    private static volatile Answer answer = Answer.KEY_ASKED_FOR;
    private static volatile int discardStatus = 204;
    private static final AtomicInteger GENERATIONS = new AtomicInteger();
    private static final Map<String, List<String>> HELD = new ConcurrentHashMap<>();
    private static final List<String> DISCARDED = new ArrayList<>();

    private FakeKeystore() {
    }

    /**
     * A free port for the fake to listen on. The Quarkus test profile that names the URL is loaded by another class
     * loader than the test, so the test starts the server ({@link #startOn}) and so shares its state.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server on this port, once per test run. */
    static synchronized void startOn(int port) {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext(KEYS, FakeKeystore::handle);
            server.start();
        }
    }

    /** Back to answering like keystore-service, nothing generated or discarded yet. */
    static synchronized void reset() {
        answer = Answer.KEY_ASKED_FOR;
        discardStatus = 204;
        GENERATIONS.set(0);
        HELD.clear();
        DISCARDED.clear();
    }

    static void answer(Answer next) {
        answer = next;
    }

    /** The status the discard endpoint answers with (204 as keystore-service, or an error). */
    static void discardStatus(int status) {
        discardStatus = status;
    }

    static int generations() {
        return GENERATIONS.get();
    }

    /** The ids of the keys generated and not discarded. */
    static Set<String> held() {
        return Set.copyOf(HELD.keySet());
    }

    static synchronized List<String> discarded() {
        return List.copyOf(DISCARDED);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod()) && path.equals(KEYS)) {
                generate(exchange);
            } else if ("DELETE".equals(exchange.getRequestMethod()) && path.startsWith(KEYS + "/")) {
                discard(exchange, path.substring(KEYS.length() + 1));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private static void generate(HttpExchange exchange) throws IOException {
        JsonNode request;
        try (InputStream body = exchange.getRequestBody()) {
            request = JSON.readTree(body);
        }
        GENERATIONS.incrementAndGet();
        KeyAlgorithm asked = KeyAlgorithm.valueOf(request.get("keyAlgorithm").asText());
        KeyAlgorithm type = answer == Answer.OTHER_KEY_TYPE
                ? (asked == KeyAlgorithm.EC_P256 ? KeyAlgorithm.EC_P384 : KeyAlgorithm.EC_P256)
                : asked;
        String keyId = answer == Answer.OVERLONG_KEY_ID
                ? UUID.randomUUID() + "-" + UUID.randomUUID()
                : UUID.randomUUID().toString();
        List<String> emails = new ArrayList<>();
        request.get("emails").forEach(email -> emails.add(email.asText()));
        HELD.put(keyId, emails);
        byte[] answerBody = JSON.writeValueAsBytes(Map.of("keyId", keyId, "keyAlgorithm", type.name(),
                "publicKeyPem", Pem.encode(PemType.PUBLIC_KEY, KeyPairs.generate(type).getPublic().getEncoded())));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(201, answerBody.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answerBody);
        }
    }

    private static void discard(HttpExchange exchange, String keyId) throws IOException {
        synchronized (FakeKeystore.class) {
            DISCARDED.add(keyId);
        }
        if (discardStatus == 204) {
            HELD.remove(keyId);
        }
        byte[] body = discardStatus == 204
                ? new byte[0]
                : ("{\"status\":" + discardStatus + "}")
                        .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(discardStatus, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
