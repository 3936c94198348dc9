package dev.smimepki.bench.platform;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.smimepki.bench.driver.Options;

/** The platform's public HTTP API as the bench calls it (paths and fields of API.md), on the JDK HTTP client. */
public final class PlatformClient {
    static final String RFC822 = "message/rfc822";
    private static final String JSON = "application/json";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final Options options;

    public PlatformClient(Options options) {
        this.options = options;
        // HTTP/1.1 keeps one connection per concurrent caller, as a mail gateway's pool would.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(4, daemon()))
                .build();
    }

    /** A certificate the platform issued: what the bench needs of the 201 answer. */
    public record Issued(String serial, String email, String certificatePem, String keyId, String chainPem) {
    }

    public UUID createCa(String name, String subject, String keyAlgorithm, UUID issuerCaId) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("subject", subject);
        body.put("keyAlgorithm", keyAlgorithm);
        body.put("validityDays", 3650);
        if (issuerCaId != null) {
            body.put("issuerCaId", issuerCaId.toString());
        }
        JsonNode answer = postJson(options.ca().resolve("/api/v1/cas"), body, options.adminToken(), 201);
        return UUID.fromString(answer.get("id").asText());
    }

    public Issued issueFromCsr(UUID caId, String email, String csrPem) throws IOException {
        return issue(caId, email, Map.of("csr", csrPem));
    }

    public Issued issueWithServerKey(UUID caId, String email, String keyAlgorithm) throws IOException {
        return issue(caId, email, Map.of("keyAlgorithm", keyAlgorithm));
    }

    private Issued issue(UUID caId, String email, Map<String, Object> extra) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("caId", caId.toString());
        body.put("emails", List.of(email));
        body.putAll(extra);
        JsonNode answer = postJson(options.ca().resolve("/api/v1/certificates"), body, options.adminToken(), 201);
        JsonNode keyId = answer.get("keyId");
        return new Issued(answer.get("serial").asText(), email, answer.get("certificatePem").asText(),
                keyId == null || keyId.isNull() ? null : keyId.asText(), answer.path("chainPem").asText(null));
    }

    /** The size of the PKCS#12 file. */
    public int exportPkcs12(String keyId, String profile, String password) throws IOException {
        return exportPkcs12Bytes(keyId, profile, password).length;
    }

    /** The PKCS#12 file. */
    public byte[] exportPkcs12Bytes(String keyId, String profile, String password) throws IOException {
        HttpRequest request = authorized(options.keystore().resolve("/api/v1/keys/" + keyId + "/pkcs12"),
                options.adminToken()).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        json.writeValueAsBytes(Map.of("password", password, "profile", profile))))
                .build();
        return expect(send(request, HttpResponse.BodyHandlers.ofByteArray()), 200).body();
    }

    /** {@code POST /api/v1/certificates/{serial}/revoke} as pki-admin: the certificate as it is now. */
    public JsonNode revoke(String serial, String reason) throws IOException {
        return postJson(options.ca().resolve("/api/v1/certificates/" + encode(serial) + "/revoke"),
                Map.of("reason", reason), options.adminToken(), 200);
    }

    /** The CA's current CRL, DER ({@code GET /crl/{caId}}, public). */
    public byte[] crl(UUID caId) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(options.ca().resolve("/crl/" + caId)).timeout(TIMEOUT).GET()
                .build();
        return expect(send(request, HttpResponse.BodyHandlers.ofByteArray()), 200).body();
    }

    /** An OCSP answer, DER ({@code POST /ocsp/{caId}} with a DER request, public). */
    public byte[] ocsp(UUID caId, byte[] ocspRequest) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(options.ca().resolve("/ocsp/" + caId)).timeout(TIMEOUT)
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest)).build();
        return expect(send(request, HttpResponse.BodyHandlers.ofByteArray()), 200).body();
    }

    /** A plain GET of any URL (e.g. a service's {@code /q/metrics}), failing unless 200. */
    public String text(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
        return new String(expect(send(request, HttpResponse.BodyHandlers.ofByteArray()), 200).body(),
                StandardCharsets.UTF_8);
    }

    /**
     * Whether the directory has a certificate to encrypt to for the address ({@code GET .../certificate}: 200, else
     * 404). The entry itself ({@link #directoryStatus}) answers 200 for every well-formed address, known or not.
     */
    public boolean visible(String email) throws IOException {
        HttpRequest request = HttpRequest
                .newBuilder(options.directory().resolve("/api/v1/directory/" + encode(email) + "/certificate"))
                .timeout(TIMEOUT).GET().build();
        int status = send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200 && status != 404) {
            throw new IOException("GET /api/v1/directory/" + email + "/certificate answered " + status);
        }
        return status == 200;
    }

    /** HTTP status of {@code GET /api/v1/directory/{email}}: 200 for any well-formed address, known or not. */
    public int directoryStatus(String email) throws IOException {
        HttpRequest request = HttpRequest
                .newBuilder(options.directory().resolve("/api/v1/directory/" + encode(email)))
                .timeout(TIMEOUT).GET().build();
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        return response.statusCode();
    }

    /** The directory entry's JSON, failing unless 200. */
    public JsonNode directoryEntry(String email) throws IOException {
        HttpRequest request = HttpRequest
                .newBuilder(options.directory().resolve("/api/v1/directory/" + encode(email)))
                .timeout(TIMEOUT).GET().build();
        return json.readTree(expect(send(request, HttpResponse.BodyHandlers.ofByteArray()), 200).body());
    }

    /**
     * Posts a message to a crypto-service operation as pki-service and streams the answer to {@code target} (or
     * discards it when null). Returns the answer's size in bytes.
     */
    public long smime(String operation, Map<String, String> query, Path message, Path target) throws IOException {
        StringBuilder uri = new StringBuilder("/api/v1/smime/").append(operation);
        char separator = '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            uri.append(separator).append(parameter.getKey()).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        HttpRequest request = authorized(options.crypto().resolve(uri.toString()), options.serviceToken())
                .header("Content-Type", RFC822).POST(HttpRequest.BodyPublishers.ofFile(message)).build();
        HttpResponse<InputStream> response = expect(send(request, HttpResponse.BodyHandlers.ofInputStream()), 200);
        try (InputStream body = response.body()) {
            if (target != null) {
                return java.nio.file.Files.copy(body, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return body.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    /** The whole answer of a crypto-service operation on a small message (the soak checks its content). */
    public byte[] smimeBytes(String operation, Map<String, String> query, Path message) throws IOException {
        StringBuilder uri = new StringBuilder("/api/v1/smime/").append(operation);
        char separator = '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            uri.append(separator).append(parameter.getKey()).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        HttpRequest request = authorized(options.crypto().resolve(uri.toString()), options.serviceToken())
                .header("Content-Type", RFC822).POST(HttpRequest.BodyPublishers.ofFile(message)).build();
        return expect(send(request, HttpResponse.BodyHandlers.ofByteArray()), 200).body();
    }

    /** The verification report of {@code POST /api/v1/smime/verify}. */
    public JsonNode verify(Path message) throws IOException {
        HttpRequest request = authorized(options.crypto().resolve("/api/v1/smime/verify"), options.serviceToken())
                .header("Content-Type", RFC822).POST(HttpRequest.BodyPublishers.ofFile(message)).build();
        return json.readTree(expect(send(request, HttpResponse.BodyHandlers.ofByteArray()), 200).body());
    }

    private JsonNode postJson(URI uri, Object body, String token, int expected) throws IOException {
        HttpRequest request = authorized(uri, token).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
        return json.readTree(expect(send(request, HttpResponse.BodyHandlers.ofByteArray()), expected).body());
    }

    private static HttpRequest.Builder authorized(URI uri, String token) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static <T> HttpResponse<T> expect(HttpResponse<T> response, int status) throws IOException {
        if (response.statusCode() == status) {
            return response;
        }
        String detail;
        Object body = response.body();
        if (body instanceof byte[] bytes) {
            detail = new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.UTF_8);
        } else if (body instanceof InputStream stream) {
            try (stream) {
                byte[] bytes = stream.readNBytes(400);
                detail = new String(bytes, StandardCharsets.UTF_8);
            }
        } else {
            detail = String.valueOf(body);
        }
        throw new IOException(response.request().method() + " " + response.request().uri().getPath() + " answered "
                + response.statusCode() + ": " + detail.replaceAll("\\s+", " "));
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "bench-http");
            thread.setDaemon(true);
            return thread;
        };
    }
}
