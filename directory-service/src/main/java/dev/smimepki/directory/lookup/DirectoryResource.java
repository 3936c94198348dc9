package dev.smimepki.directory.lookup;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Public look-up of recipients' certificates by address (no authentication, like an LDAP directory). */
@Path("/api/v1/directory/{email}")
public class DirectoryResource {
    static final String PEM_CHAIN = "application/pem-certificate-chain";

    private final DirectoryLookup lookup;

    DirectoryResource(DirectoryLookup lookup) {
        this.lookup = lookup;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public DirectoryEntryView entry(@PathParam("email") String email) {
        return lookup.view(email);
    }

    /** The certificate to encrypt to now, followed by its chain. */
    @GET
    @Path("/certificate")
    @Produces(PEM_CHAIN)
    public String certificate(@PathParam("email") String email) {
        return lookup.preferredChainPem(email);
    }

    /** RFC 8162 SMIMEA record; {@code matchingType} 0 (full certificate, default) or 1 (SHA2-256). */
    @GET
    @Path("/smimea")
    @Produces(MediaType.APPLICATION_JSON)
    public SmimeaRecord smimea(@PathParam("email") String email,
            @QueryParam("matchingType") @DefaultValue("0") int matchingType) {
        return lookup.smimea(email, matchingType);
    }
}
