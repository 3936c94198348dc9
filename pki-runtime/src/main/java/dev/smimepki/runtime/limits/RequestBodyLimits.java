package dev.smimepki.runtime.limits;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import dev.smimepki.runtime.problem.Problem;

/**
 * Refuses request bodies larger than their path's limit ({@link BodyLimitConfig}) with 413 problem+json, from the
 * Content-Length header, before the body is read: Quarkus' own check would answer a bare 413 and has one limit for
 * every path. A body sent chunked (no Content-Length) to a path whose limit is at most {@link #READ_WHOLE_LIMIT} is
 * read here, counted, and handed to the endpoint whole (a multipart one parsed, its files in Quarkus' uploads
 * directory), or refused the same way once past the limit; larger limits (the S/MIME endpoints, which count their
 * stream themselves) get the path's limit as Quarkus' streaming limit, past which Quarkus answers a bare 413.
 */
@ApplicationScoped
class RequestBodyLimits {
    /**
     * Up to this much refused body is read and discarded, so the client, which may still be sending, reads the answer
     * and keeps its connection; beyond it the connection is closed after the answer.
     */
    private static final long DRAIN_LIMIT = 8L * 1024 * 1024;
    /** A chunked body may run this far past the limit, so that an endpoint counting the stream answers first. */
    private static final long CHUNKED_SLACK = 64 * 1024;
    /** Chunked bodies of paths with limits up to this are read whole here; larger ones are streamed to the endpoint. */
    static final long READ_WHOLE_LIMIT = 4L * 1024 * 1024;
    /** Set on a request whose chunked multipart body {@link #parseMultipart} parses: its limit. */
    private static final String MULTIPART_LIMIT_KEY = RequestBodyLimits.class.getName() + ".multipart-limit";

    private final long defaultMax;
    private final List<Map.Entry<String, Long>> paths;
    private final long chunkedReadTimeoutMillis;
    private final ObjectMapper json;
    private final String uploadsDirectory;

    RequestBodyLimits(BodyLimitConfig config, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.body.uploads-directory") String uploadsDirectory) {
        this.uploadsDirectory = uploadsDirectory;
        this.chunkedReadTimeoutMillis = Math.max(1, config.chunkedReadTimeout().toMillis());
        this.defaultMax = config.defaultMax().asLongValue();
        this.paths = config.paths().entrySet().stream()
                .map(entry -> Map.entry(strip(entry.getKey()), entry.getValue().asLongValue()))
                .sorted(Comparator.comparingInt((Map.Entry<String, Long> entry) -> entry.getKey().length()).reversed())
                .toList();
        this.json = json;
    }

    void install(@Observes Router router) {
        // before Quarkus' check of Content-Length (ROUTE_ORDER_UPLOAD_LIMIT), which answers without a body
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::checkDeclaredLength);
        // after it: Quarkus has set its one streaming limit for chunked bodies, which the path's may lower
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::limitChunkedBody)
                .failureHandler(this::refuseParsedMultipart);
    }

    /** The limit for a request path. */
    long limitFor(String path) {
        for (Map.Entry<String, Long> entry : paths) {
            String prefix = entry.getKey();
            if (path.equals(prefix) || path.startsWith(prefix + "/") || prefix.isEmpty()) {
                return entry.getValue();
            }
        }
        return defaultMax;
    }

    private void checkDeclaredLength(RoutingContext context) {
        HttpServerRequest request = context.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long limit = limitFor(request.path());
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1; // Netty refuses such a request before it gets here
            }
            if (declared > limit) {
                refuse(context, declared, limit);
                return;
            }
        }
        context.next();
    }

    private void limitChunkedBody(RoutingContext context) {
        HttpServerRequest request = context.request();
        // HTTP/1.1 (the only version served): without either header a request has no body
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) != null
                || request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null || request.isEnded()) {
            context.next();
            return;
        }
        long limit = limitFor(request.path());
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (limit <= READ_WHOLE_LIMIT) {
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
                parseMultipart(context, limit);
            } else {
                readWhole(context, limit);
            }
            return;
        }
        Long quarkus = context.get(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
        long streaming = limit + CHUNKED_SLACK;
        context.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, quarkus == null ? streaming : Math.min(quarkus, streaming));
        context.next();
    }

    /**
     * Reads a chunked body up to {@code limit} and hands it on whole; past the limit, answers 413 problem+json at once
     * and discards the rest (closing the connection after {@link #DRAIN_LIMIT} more bytes); a body that has not
     * arrived within {@code pki.http.body-limit.chunked-read-timeout} is answered 408 and its connection closed.
     */
    private void readWhole(RoutingContext context, long limit) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        long[] discarded = {-1};
        long timer = context.vertx().setTimer(chunkedReadTimeoutMillis, fired -> {
            if (discarded[0] < 0 && !request.isEnded()) {
                discarded[0] = 0;
                answer(context, timedOut()).onComplete(ended -> request.connection().close());
            }
        });
        request.handler(chunk -> {
            if (discarded[0] >= 0) {
                discarded[0] += chunk.length();
                if (discarded[0] > DRAIN_LIMIT) {
                    request.connection().close();
                }
            } else if (body.length() + (long) chunk.length() > limit) {
                discarded[0] = 0;
                context.vertx().cancelTimer(timer);
                answer(context, Problem.of(413, "body-too-large", "Request too large", "the request body sent"
                        + " chunked is larger than " + limit + " bytes; " + request.method() + " " + request.path()
                        + " accepts at most " + limit, List.of()));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(ended -> {
            context.vertx().cancelTimer(timer);
            if (discarded[0] < 0) {
                context.setBody(body);
                context.next();
            }
        });
        request.resume();
    }

    /**
     * Parses a chunked multipart body with Vert.x' body handler (Quarkus REST takes the parsed form from the routing
     * context; the files are deleted when the response ends), which fails the request with 413 past the limit:
     * {@link #refuseParsedMultipart} answers that. A body that has not arrived within the chunked read timeout is
     * answered 408, as in {@link #readWhole}.
     */
    private void parseMultipart(RoutingContext context, long limit) {
        context.put(MULTIPART_LIMIT_KEY, limit);
        HttpServerRequest request = context.request();
        context.vertx().setTimer(chunkedReadTimeoutMillis, fired -> {
            if (!request.isEnded() && !context.response().headWritten()) {
                answer(context, timedOut()).onComplete(ended -> request.connection().close());
            }
        });
        BodyHandler.create(uploadsDirectory).setBodyLimit(limit).setDeleteUploadedFilesOnEnd(true).handle(context);
    }

    private void refuseParsedMultipart(RoutingContext context) {
        Long limit = context.get(MULTIPART_LIMIT_KEY);
        if (limit == null || context.statusCode() != 413 || context.response().headWritten()) {
            context.next();
            return;
        }
        HttpServerRequest request = context.request();
        answer(context, Problem.of(413, "body-too-large", "Request too large", "the multipart request body sent"
                + " chunked is larger than " + limit + " bytes; " + request.method() + " " + request.path()
                + " accepts at most " + limit, List.of()));
    }

    private Problem timedOut() {
        return Problem.of(408, "request-timeout", "Request timeout", "the request body sent chunked did not arrive"
                + " within " + chunkedReadTimeoutMillis + " ms", List.of());
    }

    /** Answers the problem and closes the connection after it: the client may still be sending. */
    private Future<Void> answer(RoutingContext context, Problem problem) {
        return context.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE,
                Problem.MEDIA_TYPE).putHeader(HttpHeaders.CONNECTION, "close").end(Buffer.buffer(serialise(problem)));
    }

    private void refuse(RoutingContext context, long declared, long limit) {
        HttpServerRequest request = context.request();
        Problem problem = Problem.of(413, "body-too-large", "Request too large", "the request body has " + declared
                + " bytes; " + request.method() + " " + request.path() + " accepts at most " + limit, List.of());
        if (declared - limit > DRAIN_LIMIT) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(ended -> request.connection().close());
        } else if (!request.isEnded()) {
            request.handler(discarded -> {
            });
        }
        request.resume();
        context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(serialise(problem)));
    }

    private byte[] serialise(Problem problem) {
        try {
            return json.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem must serialise", e);
        }
    }

    /** Config keys may be written with or without the trailing slash. */
    private static String strip(String prefix) {
        String trimmed = prefix.trim();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
