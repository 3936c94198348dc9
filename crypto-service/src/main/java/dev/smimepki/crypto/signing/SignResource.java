package dev.smimepki.crypto.signing;

import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.smimepki.crypto.mime.OutgoingMessage;
import dev.smimepki.runtime.auth.Roles;

/** Signs a whole RFC 5322 message. */
@Path("/api/v1/smime/sign")
public class SignResource {
    private final SigningService service;

    SignResource(SigningService service) {
        this.service = service;
    }

    /** A user signs as its own mailbox only; a service as any mailbox. */
    @POST
    @RolesAllowed({Roles.USER, Roles.SERVICE})
    @Consumes(MediaType.WILDCARD)
    @Produces({OutgoingMessage.RFC822, "application/problem+json"})
    public Response sign(InputStream message, @QueryParam("mode") String mode, @QueryParam("signer") String signer,
            @QueryParam("scheme") String scheme) {
        return service.sign(message, mode, signer, scheme).toResponse();
    }
}
