package dev.smimepki.ca.crl;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

/** The CRL distribution point written into every certificate (RFC 5280 section 4.2.1.13); public. */
@Path("/crl")
public class CrlResource {
    static final String PKIX_CRL = "application/pkix-crl";

    private final CrlPublisher publisher;

    CrlResource(CrlPublisher publisher) {
        this.publisher = publisher;
    }

    @GET
    @Path("/{caId}")
    @Produces(PKIX_CRL)
    public byte[] current(@PathParam("caId") UUID caId) {
        return publisher.current(caId);
    }
}
