package dev.smimepki.keystore.keys;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.smimepki.keystore.operations.ContentEncryptionKey;
import dev.smimepki.keystore.operations.DecryptRequest;
import dev.smimepki.keystore.operations.PrivateKeyOperations;
import dev.smimepki.keystore.operations.SignRequest;
import dev.smimepki.keystore.operations.SignatureValue;
import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.auth.Roles;

/**
 * The service-to-service API (role {@code pki-service} only): key generation (and discarding a key whose issuance
 * failed) for ca-service, key look-up and the private-key operations for crypto-service. Private keys never leave
 * through it.
 */
@Path("/internal/v1/keys")
@RolesAllowed(Roles.SERVICE)
@Produces(MediaType.APPLICATION_JSON)
public class InternalKeyResource {
    private final InternalKeys keys;
    private final KeyDeletion deletion;
    private final PrivateKeyOperations operations;
    private final Caller caller;

    InternalKeyResource(InternalKeys keys, KeyDeletion deletion, PrivateKeyOperations operations, Caller caller) {
        this.keys = keys;
        this.deletion = deletion;
        this.operations = operations;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response generate(@Valid @NotNull GenerateKeyRequest request) {
        GeneratedKey generated = keys.generate(request, caller.name());
        return Response.created(URI.create("/internal/v1/keys/" + generated.keyId())).entity(generated).build();
    }

    /** Only a generated key without any certificate (409 otherwise); 204 for an unknown id as well. */
    @DELETE
    @Path("/{keyId}")
    public Response discard(@PathParam("keyId") UUID keyId) {
        deletion.discardPending(keyId, caller.name());
        return Response.noContent().build();
    }

    @GET
    @Path("/signing")
    public SigningKey signingKey(@QueryParam("email") String email) {
        return keys.signingKey(email);
    }

    @POST
    @Path("/find")
    @Consumes(MediaType.APPLICATION_JSON)
    public FoundKey find(@NotNull FindKeyRequest request) {
        return keys.find(request);
    }

    @POST
    @Path("/{keyId}/sign")
    @Consumes(MediaType.APPLICATION_JSON)
    public SignatureValue sign(@PathParam("keyId") UUID keyId, @Valid @NotNull SignRequest request) {
        return operations.sign(keyId, request, caller.name());
    }

    @POST
    @Path("/{keyId}/decrypt")
    @Consumes(MediaType.APPLICATION_JSON)
    public ContentEncryptionKey decrypt(@PathParam("keyId") UUID keyId, @Valid @NotNull DecryptRequest request) {
        return operations.decrypt(keyId, request, caller.name());
    }
}
