package dev.smimepki.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.smimepki.core.cert.Certificate;

/**
 * A stand-in for directory-service's public look-up ({@code GET /api/v1/directory/{email}}), answering with the
 * fields API.md documents and directory-service's wording for certificates that cannot be encrypted to.
 */
final class FakeDirectory {
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Map<String, Object>> entries = new ConcurrentHashMap<>();

    void register(HttpServer server) {
        server.createContext("/api/v1/directory/", this::handle);
    }

    /** A usable certificate, with the SMIMECapabilities its owner announced (null: never seen). */
    void usable(String email, Certificate certificate, List<String> capabilities) {
        Map<String, Object> view = certificateView(certificate, "valid", capabilities, List.of());
        entries.put(email, entry(email, certificate.fingerprintSha256(), null, List.of(view)));
    }

    /** A certificate the directory will not offer, and why. */
    void unusable(String email, Certificate certificate, String status, String reason) {
        Map<String, Object> view = certificateView(certificate, status, null, List.of(reason));
        entries.put(email, entry(email, null, "none of the 1 certificate(s) for this address can be encrypted to: "
                + certificate.fingerprintSha256().substring(0, 16) + " " + reason, List.of(view)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String email = URLDecoder.decode(
                    exchange.getRequestURI().getRawPath().substring("/api/v1/directory/".length()),
                    StandardCharsets.UTF_8);
            Map<String, Object> entry = entries.getOrDefault(email,
                    entry(email, null, "no certificate is known for this address", List.of()));
            byte[] body = json.writeValueAsBytes(entry);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, Object> entry(String email, String preferred, String reason,
            List<Map<String, Object>> certificates) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("email", email);
        entry.put("preferred", preferred);
        entry.put("reason", reason);
        entry.put("certificates", certificates);
        return entry;
    }

    private static Map<String, Object> certificateView(Certificate certificate, String status,
            List<String> capabilities, List<String> rejectedBecause) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("fingerprintSha256", certificate.fingerprintSha256());
        view.put("serial", certificate.serialHex());
        view.put("issuer", certificate.issuer());
        view.put("subject", certificate.subject());
        view.put("notBefore", certificate.notBefore().toString());
        view.put("notAfter", certificate.notAfter().toString());
        view.put("status", status);
        view.put("source", "issued");
        view.put("trust", "trusted");
        view.put("keyUsage", new ArrayList<>(certificate.keyUsages().stream().map(k -> k.wireName()).toList()));
        view.put("pem", certificate.pem());
        if (capabilities != null) {
            view.put("smimeCapabilities", capabilities);
        }
        view.put("preferred", rejectedBecause.isEmpty());
        view.put("usable", rejectedBecause.isEmpty());
        view.put("rejectedBecause", rejectedBecause);
        return view;
    }
}
