package dev.smimepki.runtime.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.smimepki.runtime.auth.Roles;

/** The service's audit log for administrators: its entries, newest first, and whether its chain is intact. */
@Path("/api/v1/audit")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final AuditLog log;
    private final AuditChainVerifier verifier;

    AuditResource(AuditLog log, AuditChainVerifier verifier) {
        this.log = log;
        this.verifier = verifier;
    }

    @GET
    public AuditPage list(@QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size) {
        return log.page(page, size);
    }

    @GET
    @Path("/verify")
    public AuditVerification verify() {
        return verifier.verify();
    }
}
