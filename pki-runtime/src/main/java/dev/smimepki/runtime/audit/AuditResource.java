package dev.smimepki.runtime.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.smimepki.runtime.auth.Roles;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

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

    /**
     * Walks the chain; with {@code witnessSequence} and {@code witnessHash} (from an earlier answer, kept outside the
     * database) it also proves the chain still holds that entry.
     */
    @GET
    @Path("/verify")
    public AuditVerification verify(@QueryParam("witnessSequence") @Min(1) Long witnessSequence,
            @QueryParam("witnessHash") @Pattern(regexp = "[0-9a-fA-F]{64}") String witnessHash) {
        if ((witnessSequence == null) != (witnessHash == null)) {
            throw new ProblemException(Kind.MALFORMED, "incomplete-witness", "witnessSequence and witnessHash go"
                    + " together: give both or neither");
        }
        return verifier.verify(witnessSequence == null
                ? null
                : new AuditChainVerifier.Witness(witnessSequence, witnessHash));
    }
}
