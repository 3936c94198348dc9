package dev.smimepki.ca.revocation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.smimepki.ca.issuance.CertificateView;
import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.auth.Roles;

/** Revocation of a subscriber certificate with an RFC 5280 reason. */
@Path("/api/v1/certificates/{serial}/revoke")
@RolesAllowed({Roles.ADMIN, Roles.USER})
public class RevocationResource {
    private final RevocationService service;
    private final Caller caller;

    RevocationResource(RevocationService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CertificateView revoke(@PathParam("serial") String serial, @Valid @NotNull RevokeRequest request) {
        return service.revoke(serial, request.reason(), caller.name());
    }
}
