package dev.smimepki.crypto.verification;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** ca-service's public CA listing (no token), from which verification learns the platform's own roots. */
@RegisterRestClient(configKey = "ca")
@Path("/api/v1/cas")
public interface CaServiceApi {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    List<CaEntry> list();

    /** The CA certificate up to its root, PEM, this CA first. */
    @GET
    @Path("/{id}/chain")
    @Produces("application/pem-certificate-chain")
    String chain(@PathParam("id") String id);

    /** @param id the CA id */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CaEntry(String id) {
    }
}
