package dev.smimepki.ca.issuance;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.auth.Roles;

/** Subscriber certificates: issue from a CSR, search, show. */
@Path("/api/v1/certificates")
@RolesAllowed({Roles.ADMIN, Roles.USER})
@Produces(MediaType.APPLICATION_JSON)
public class CertificateResource {
    private final IssuanceService service;
    private final Caller caller;

    CertificateResource(IssuanceService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(@Valid @NotNull IssueCertificateRequest request) {
        CertificateView issued = service.issue(request, caller.name());
        return Response.created(URI.create("/api/v1/certificates/" + issued.serial())).entity(issued).build();
    }

    @GET
    public CertificatePage search(@QueryParam("email") String email, @QueryParam("status") String status,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size) {
        return service.search(email, status, page, size);
    }

    @GET
    @Path("/{serial}")
    public CertificateView find(@PathParam("serial") String serial) {
        return service.find(serial);
    }
}
