package dev.smimepki.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * Stand-in services on loopback for the user commands' tests: each answers from a table and records every request
 * as "METHOD path[?query] authorization"; {@link #close} stops them all.
 */
final class StubServices implements AutoCloseable {

    record Answer(int status, String contentType, String body) {
        static Answer json(String body) {
            return new Answer(200, "application/json", body);
        }
    }

    private static final Answer NOT_FOUND = new Answer(404, "text/plain", "");

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /** A service giving every request the same answer; its base URL. */
    String service(int status, String contentType, String body) throws IOException {
        return service(Map.of(), new Answer(status, contentType, body));
    }

    /** A service answering "METHOD path?query", else "METHOD path", else 404; its base URL. */
    String service(Map<String, Answer> answers) throws IOException {
        return service(answers, NOT_FOUND);
    }

    /** The requests every service received, in order. */
    List<String> requests() {
        return requests;
    }

    @Override
    public void close() {
        servers.forEach(server -> server.stop(0));
    }

    /** Runs {@code pki --home HOME URLS... ARGS...} in-process, what it prints going to {@code out} and {@code err}. */
    static int run(Path home, StringWriter out, StringWriter err, List<String> urls, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        picocli.CommandLine commandLine = Pki.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(urls);
        all.addAll(List.of(args));
        return commandLine.execute(all.toArray(String[]::new));
    }

    private String service(Map<String, Answer> answers, Answer otherwise) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String method = exchange.getRequestMethod();
            String target = method + " " + path + (query == null ? "" : "?" + query);
            requests.add(target + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            Answer answer = answers.getOrDefault(target, answers.getOrDefault(method + " " + path, otherwise));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
