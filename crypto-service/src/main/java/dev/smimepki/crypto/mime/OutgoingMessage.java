package dev.smimepki.crypto.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * A finished message in a temporary file, sent as the response body and deleted afterwards. Producing the whole
 * output before answering means a failure (keystore down, bad input) is a clean problem response, never a truncated
 * 200.
 *
 * @param file the message
 * @param mediaType the response's media type
 */
public record OutgoingMessage(Path file, String mediaType) {
    public static final String RFC822 = "message/rfc822";

    public Response toResponse() {
        return toResponse(Map.of());
    }

    /** The response with extra header fields (e.g. what decryption found). */
    public Response toResponse(Map<String, String> headers) {
        StreamingOutput body = out -> {
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            } finally {
                discard();
            }
        };
        try {
            Response.ResponseBuilder response = Response.ok(body, mediaType).header("Content-Length", Files.size(file));
            headers.forEach(response::header);
            return response.build();
        } catch (IOException e) {
            discard();
            throw new java.io.UncheckedIOException(e);
        }
    }

    public void discard() {
        MessageSpool.delete(file);
    }

    /** Deletes a temporary file that never became a response. */
    public static void delete(Path file) {
        MessageSpool.delete(file);
    }
}
