package dev.smimepki.runtime.problem;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.PolicyViolation;
import dev.smimepki.runtime.limits.RateLimitedException;
import dev.smimepki.runtime.tx.DatabaseFailures;

/**
 * The one exception-to-problem+json table of every service. Anything not listed is a 500 whose cause is logged
 * with an incident id that the answer repeats; no class name or stack trace ever leaves the service.
 */
class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final String MULTIPART_PARSER = "org.jboss.resteasy.reactive.server.core.multipart.";

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        if (e.getCause() != null && LOG.isDebugEnabled()) {
            LOG.debugf("%s: %s, caused by %s", e.code(), e.getMessage(), SecretRedaction.redact(e.getCause()));
        }
        return respond(e.toProblem());
    }

    @ServerExceptionMapper
    Response rateLimited(RateLimitedException e) {
        return Response.fromResponse(respond(e.toProblem()))
                .header("Retry-After", e.retryAfterSeconds())
                .build();
    }

    @ServerExceptionMapper
    Response malformed(PkiFormatException e) {
        return respond(Problem.of(400, e.code(), "Malformed request", e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    Response refused(PolicyViolation e) {
        List<Problem.Violation> violations = e.violations().stream()
                .map(message -> new Problem.Violation(null, null, message))
                .toList();
        return respond(Problem.of(422, e.code(), "Refused by policy", e.getMessage(), violations));
    }

    @ServerExceptionMapper
    Response invalid(ConstraintViolationException e) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(leaf(v.getPropertyPath().toString()),
                        v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName(),
                        v.getMessage()))
                .sorted((a, b) -> String.valueOf(a.field()).compareTo(String.valueOf(b.field())))
                .toList();
        return respond(Problem.of(400, "invalid-request", "Malformed request",
                "the request failed " + violations.size() + " validation check(s)", violations));
    }

    /**
     * Names the field and what it must be, in JSON's terms: Jackson's own message names Java classes (a value "of
     * type `java.util.UUID`", "`dev.smimepki...CreateCaRequest`"), which never leave the service.
     */
    @ServerExceptionMapper
    Response unreadableJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? JsonProblems.path(mapping.getPath()) : null;
        String what = JsonProblems.describe(e);
        String detail = "the body is not valid JSON for this request: " + (field == null ? "" : field + ": ") + what;
        return respond(Problem.of(400, "malformed-json", "Malformed request", detail,
                field == null ? List.of() : List.of(new Problem.Violation(field, "json", what))));
    }

    /** Listed on its own: rest-jackson's built-in mapper for it would otherwise answer with Jackson's message. */
    @ServerExceptionMapper
    Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    Response unauthenticated(Exception e) {
        LOG.debugf("authentication failed: %s", SecretRedaction.redact(e.toString()));
        return Response.fromResponse(respond(Problem.of(401, "unauthenticated", "Authentication required",
                "a valid bearer token is required", List.of())))
                .header("WWW-Authenticate", "Bearer")
                .build();
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "forbidden", "Forbidden", "the bearer token lacks the role this needs",
                List.of()));
    }

    @ServerExceptionMapper
    Response http(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json); // rest-jackson wraps a body that is not JSON at all in a bare 400
        }
        if (e instanceof NotFoundException && e.getCause() != null
                && !(e.getCause() instanceof WebApplicationException)) {
            // JAX-RS makes a path or query parameter that does not convert a 404, as if the resource were unknown
            return respond(Problem.of(400, "invalid-parameter", "Malformed request", "a path or query parameter"
                    + " does not have the form it takes: ids are UUIDs (of parked events, numbers), page and size are"
                    + " integers", List.of()));
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return respond(Problem.of(status, "http-" + status, title, publicDetail(e, title), List.of()));
    }

    /** Any failure whose causes say the database is away ({@link DatabaseFailures#unavailable}) is a 503. */
    @ServerExceptionMapper
    Response internal(Throwable e) {
        if (fromMultipartParser(e)) {
            return respond(Problem.of(400, "malformed-multipart", "Malformed request", "the body is not complete"
                    + " multipart/form-data: it ended before its closing boundary, or its parts cannot be read",
                    List.of()));
        }
        if (DatabaseFailures.unavailable(e)) {
            LOG.warnf("database unavailable: %s", SecretRedaction.redact(e.toString()));
            return respond(Problem.of(503, "database-unavailable", "A dependency is unavailable",
                    "the database is unavailable; retry shortly", List.of()));
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf("incident %s: %s", incident, SecretRedaction.redact(e));
        return respond(Problem.of(500, "internal-error", "Internal error",
                "an unexpected error occurred; incident " + incident, List.of()));
    }

    /** Quarkus REST's multipart parser fails a body cut short with a plain IOException. */
    private static boolean fromMultipartParser(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof IOException && Arrays.stream(e.getStackTrace())
                    .anyMatch(frame -> frame.getClassName().startsWith(MULTIPART_PARSER))) {
                return true;
            }
        }
        return false;
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** Quarkus' own messages for 4xx are safe (e.g. "HTTP 404 Not Found"); keep them unless they name a class. */
    private static String publicDetail(WebApplicationException e, String title) {
        String message = e.getMessage();
        return message == null || message.contains("Exception") || message.contains("java.") ? title : message;
    }

    private static String leaf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
