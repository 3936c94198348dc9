package dev.smimepki.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The services' public HTTP APIs as the user commands call them: every failure becomes a {@link CommandFailure} with
 * the service's problem detail and an exit code that means something (2 unreachable, 3 not found, 1 otherwise).
 */
final class PlatformClient {

    static final String JSON = "application/json";
    static final String RFC822 = "message/rfc822";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Key generation (RSA 4096) and large messages take a while; a hung service should not hang the terminal. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final ServiceUrls urls;
    private final Supplier<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    /** @param token the bearer token, asked for only when a request needs one */
    PlatformClient(ServiceUrls urls, Supplier<String> token) {
        this.urls = urls;
        this.token = token;
    }

    /** The same services as another caller. */
    PlatformClient as(Supplier<String> otherToken) {
        return new PlatformClient(urls, otherToken);
    }

    ServiceUrls urls() {
        return urls;
    }

    /** An answer: status, body and content type. */
    record Answer(int status, String contentType, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return Json.read(body);
        }
    }

    Answer get(PlatformService service, String path, String accept, boolean authenticated, String what) {
        HttpRequest.Builder request = request(service, path, accept, authenticated).GET();
        return send(service, request, what);
    }

    Answer postJson(PlatformService service, String path, Object body, String accept, String what) {
        HttpRequest.Builder request = request(service, path, accept, true).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
        return send(service, request, what);
    }

    /** A POST without a body (an action on the resource the path names). */
    Answer post(PlatformService service, String path, String accept, String what) {
        HttpRequest.Builder request = request(service, path, accept, true)
                .POST(HttpRequest.BodyPublishers.noBody());
        return send(service, request, what);
    }

    Answer delete(PlatformService service, String path, String accept, String what) {
        HttpRequest.Builder request = request(service, path, accept, true).DELETE();
        return send(service, request, what);
    }

    Answer postBytes(PlatformService service, String path, String contentType, byte[] body, String accept,
            boolean authenticated, String what) {
        HttpRequest.Builder request = request(service, path, accept, authenticated)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return send(service, request, what);
    }

    /** Streams {@code body} to the service and returns the answer's stream (the caller closes it), checked. */
    InputStream postStream(PlatformService service, String path, String contentType, Supplier<InputStream> body,
            String accept, String what) {
        HttpRequest request = request(service, path, accept, true).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(service, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCode.INTERRUPTED, "interrupted");
        }
        if (response.statusCode() >= 300) {
            try (InputStream error = response.body()) {
                throw failure(service, what, new Answer(response.statusCode(), contentType(response),
                        error.readAllBytes()));
            } catch (IOException e) {
                throw unreachable(service, e);
            }
        }
        return response.body();
    }

    /** A multipart/form-data POST: text fields and one file part. */
    Answer postMultipart(PlatformService service, String path, Map<String, String> fields, String fileField,
            String fileName, byte[] file, String what) {
        String boundary = "pki-" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + field.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
                + fileName.replace("\"", "") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        parts.add(file);
        parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = request(service, path, JSON, true)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts));
        return send(service, request, what);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(PlatformService service, String path, String accept, boolean authenticated) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(urls.uri(service, path)).timeout(REQUEST_TIMEOUT);
        if (accept != null) {
            builder.header("Accept", accept + ", application/problem+json");
        }
        if (authenticated) {
            builder.header("Authorization", "Bearer " + token.get());
        }
        return builder;
    }

    private Answer send(PlatformService service, HttpRequest.Builder request, String what) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(service, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCode.INTERRUPTED, "interrupted");
        }
        Answer answer = new Answer(response.statusCode(), contentType(response), response.body());
        if (answer.status() >= 300) {
            throw failure(service, what, answer);
        }
        return answer;
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private CommandFailure unreachable(PlatformService service, IOException e) {
        String url = urls.of(service);
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            return new CommandFailure(ExitCode.UNREACHABLE, service.id() + " does not answer at " + url
                    + "; ./pki up starts the platform (or set " + ServiceUrls.environmentVariable(service) + ")");
        }
        if (e instanceof HttpTimeoutException) {
            return new CommandFailure(ExitCode.UNREACHABLE, service.id() + " at " + url + " did not answer within "
                    + REQUEST_TIMEOUT.toMinutes() + " minutes");
        }
        return new CommandFailure(ExitCode.UNREACHABLE, service.id() + " at " + url + " broke off: " + e.getMessage());
    }

    /** The problem+json answer as one message: who refused what, why, and each failed check. */
    static CommandFailure failure(PlatformService service, String what, Answer answer) {
        StringBuilder message = new StringBuilder(service.id()).append(" refused to ").append(what).append(" (HTTP ")
                .append(answer.status()).append(")");
        JsonNode problem = problemOf(answer);
        if (problem != null) {
            String detail = Json.text(problem, "detail");
            String title = Json.text(problem, "title");
            message.append(": ").append(detail != null ? detail : title != null ? title : "no detail");
            for (JsonNode error : problem.path("errors")) {
                String field = Json.text(error, "field");
                String text = Json.text(error, "message");
                message.append("\n  - ").append(field != null && !field.isBlank() ? field + ": " : "")
                        .append(text != null ? text : error.toString());
            }
        } else if (answer.body().length > 0 && answer.contentType().startsWith("text/")) {
            message.append(": ").append(answer.text().strip());
        }
        if (answer.status() == 404 && problem == null || answer.status() == 405 || answer.status() == 501) {
            message.append("\n  this ").append(service.id()).append(" does not offer it (not implemented in the"
                    + " running version?)");
        }
        if (answer.status() == 403) {
            message.append("\n  the token may not do this: signing and decrypting act as the mailbox's owner"
                    + " (--as EMAIL), CA operations need pki-admin");
        }
        if (answer.status() == 401) {
            message.append("\n  the token was not accepted: pass --token or PKI_TOKEN, or use this machine's"
                    + " platform (./pki up) so tokens minted from .pki/secrets.env are trusted");
        }
        int exitCode = switch (answer.status()) {
            case 404 -> ExitCode.NOT_FOUND;
            case 502, 503, 504 -> ExitCode.UNREACHABLE;
            default -> ExitCode.ERROR;
        };
        return new CommandFailure(exitCode, message.toString());
    }

    private static JsonNode problemOf(Answer answer) {
        if (!answer.contentType().contains("json") || answer.body().length == 0) {
            return null;
        }
        try {
            JsonNode node = Json.read(answer.body());
            return node.isObject() ? node : null;
        } catch (UncheckedIOException | CommandFailure e) {
            return null;
        }
    }
}
