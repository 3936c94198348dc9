package dev.smimepki.crypto.decryption;

import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.smimepki.crypto.mime.OutgoingMessage;
import dev.smimepki.runtime.auth.Roles;

/** Decrypts a whole S/MIME encrypted message to the inner message. */
@Path("/api/v1/smime/decrypt")
public class DecryptResource {
    private final DecryptionService service;

    DecryptResource(DecryptionService service) {
        this.service = service;
    }

    /** A user decrypts with its own mailbox's key only; a service with any key keystore-service holds. */
    @POST
    @RolesAllowed({Roles.USER, Roles.SERVICE})
    @Consumes(MediaType.WILDCARD)
    @Produces({OutgoingMessage.RFC822, "application/problem+json"})
    public Response decrypt(InputStream message) {
        DecryptionService.Decrypted decrypted = service.decrypt(message);
        return decrypted.message().toResponse(decrypted.headers());
    }
}
