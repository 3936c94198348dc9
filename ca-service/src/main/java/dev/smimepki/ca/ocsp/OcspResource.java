package dev.smimepki.ca.ocsp;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

/** The OCSP URL written into every certificate's authorityInfoAccess; public, POST (RFC 6960) and GET (RFC 5019). */
@Path("/ocsp/{caId}")
@Produces(OcspResource.OCSP_RESPONSE)
public class OcspResource {
    static final String OCSP_REQUEST = "application/ocsp-request";
    static final String OCSP_RESPONSE = "application/ocsp-response";

    private final OcspResponder responder;

    OcspResource(OcspResponder responder) {
        this.responder = responder;
    }

    @POST
    @Consumes(OCSP_REQUEST)
    public byte[] post(@PathParam("caId") UUID caId, byte[] request) {
        return responder.respond(caId, request);
    }

    /** The base64 may contain '/' (RFC 5019 section 5), hence the regular expression. */
    @GET
    @Path("/{request: .+}")
    public byte[] get(@PathParam("caId") UUID caId, @PathParam("request") String request) {
        return responder.respondToBase64(caId, request);
    }
}
