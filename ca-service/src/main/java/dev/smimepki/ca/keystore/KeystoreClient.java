package dev.smimepki.ca.keystore;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.smimepki.runtime.auth.ServiceTokenHeader;

/**
 * keystore-service's internal key generation (API.md: the private key never leaves keystore-service), and the
 * discard of a generated key that no certificate was issued for.
 */
@RegisterRestClient(configKey = "keystore")
@RegisterProvider(ServiceTokenHeader.class)
@Path("/internal/v1/keys")
interface KeystoreClient {

    /** What ca-service asks for: a key pair of this type for these mailboxes. */
    record GenerateKey(String keyAlgorithm, List<String> emails) {
    }

    /** The stored key's id and its public half. */
    record GeneratedKey(String keyId, String keyAlgorithm, String publicKeyPem) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    GeneratedKey generate(GenerateKey request);

    /** Destroys a generated key while no certificate is bound to it: 204, also for an unknown id; 409 once bound. */
    @DELETE
    @Path("/{keyId}")
    void discard(@PathParam("keyId") String keyId);
}
