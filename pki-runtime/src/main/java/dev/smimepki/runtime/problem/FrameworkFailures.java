package dev.smimepki.runtime.problem;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The client errors Vert.x decides before a request reaches an endpoint (a path that cannot be decoded, such as one
 * with an invalid percent-escape; no Host header) as problem+json: Quarkus would answer them with an empty body.
 * Failures with an exception of the application or of security are left to their own handlers.
 */
@ApplicationScoped
class FrameworkFailures {
    private final ObjectMapper json;

    FrameworkFailures(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        // after the body limits' own failure handler (ROUTE_ORDER_UPLOAD_LIMIT + 1), before Quarkus' error handler
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 2).failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        int status = context.statusCode();
        Throwable failure = context.failure();
        boolean framework = failure == null || failure.getClass() == VertxException.class;
        if (status < 400 || status >= 500 || !framework || context.response().headWritten()) {
            context.next();
            return;
        }
        String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
        String detail = failure != null && failure.getMessage() != null
                ? failure.getMessage()
                : status == 400 ? "the request cannot be read (is its path percent-encoded correctly?)" : reason;
        Problem problem = Problem.of(status, "http-" + status, reason, detail, List.of());
        try {
            context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(json.writeValueAsBytes(problem)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem must serialise", e);
        }
    }
}
