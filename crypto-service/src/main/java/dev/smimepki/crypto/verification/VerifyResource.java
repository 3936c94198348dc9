package dev.smimepki.crypto.verification;

import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.smimepki.runtime.auth.Roles;

/** Verifies a whole signed RFC 5322 message and reports each check. */
@Path("/api/v1/smime/verify")
public class VerifyResource {
    private final VerificationService service;

    VerifyResource(VerificationService service) {
        this.service = service;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.SERVICE})
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public VerificationReport verify(InputStream message) {
        return service.verify(message);
    }
}
