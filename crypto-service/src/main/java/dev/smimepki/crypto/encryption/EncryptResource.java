package dev.smimepki.crypto.encryption;

import java.io.InputStream;
import java.util.List;

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

/** Encrypts (or signs and encrypts) a whole RFC 5322 message to its recipients and sender. */
@Path("/api/v1/smime")
public class EncryptResource {
    private final EncryptionService service;

    EncryptResource(EncryptionService service) {
        this.service = service;
    }

    /** Anyone authenticated: encryption uses public certificates only. */
    @POST
    @Path("/encrypt")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.SERVICE})
    @Consumes(MediaType.WILDCARD)
    @Produces({OutgoingMessage.RFC822, "application/problem+json"})
    public Response encrypt(InputStream message, @QueryParam("recipient") List<String> recipients) {
        return service.encrypt(message, recipients).toResponse();
    }

    /** Signing rules apply: a user signs as its own mailbox only, a service as any. */
    @POST
    @Path("/sign-and-encrypt")
    @RolesAllowed({Roles.USER, Roles.SERVICE})
    @Consumes(MediaType.WILDCARD)
    @Produces({OutgoingMessage.RFC822, "application/problem+json"})
    public Response signAndEncrypt(InputStream message, @QueryParam("recipient") List<String> recipients,
            @QueryParam("mode") String mode, @QueryParam("signer") String signer,
            @QueryParam("scheme") String scheme) {
        return service.signAndEncrypt(message, recipients, mode, signer, scheme).toResponse();
    }
}
