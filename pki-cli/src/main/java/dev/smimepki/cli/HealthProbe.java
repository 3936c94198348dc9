package dev.smimepki.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a service's {@code /q/health/ready}: 200 is ready, any other answer is starting, no answer is unreachable. */
final class HealthProbe {

    enum Readiness {
        READY,
        NOT_READY,
        UNREACHABLE
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();

    Readiness check(URI readinessUri) {
        HttpRequest request = HttpRequest.newBuilder(readinessUri).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? Readiness.READY : Readiness.NOT_READY;
        } catch (IOException e) {
            return Readiness.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Readiness.UNREACHABLE;
        }
    }
}
