package dev.smimepki.keystore.keys;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
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

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.smimepki.keystore.pkcs12.ExportRequest;
import dev.smimepki.keystore.pkcs12.ImportedKey;
import dev.smimepki.keystore.pkcs12.Pkcs12Export;
import dev.smimepki.keystore.pkcs12.Pkcs12Import;
import dev.smimepki.runtime.auth.Roles;

/** Users' keys: import and export as PKCS#12, and the key history of a mailbox. Users reach only their own. */
@Path("/api/v1/keys")
@RolesAllowed({Roles.ADMIN, Roles.USER})
public class KeyResource {
    static final String PKCS12 = "application/x-pkcs12";

    private final Pkcs12Import importer;
    private final Pkcs12Export exporter;
    private final KeyHistory history;
    private final KeyDeletion deletion;

    KeyResource(Pkcs12Import importer, Pkcs12Export exporter, KeyHistory history, KeyDeletion deletion) {
        this.importer = importer;
        this.exporter = exporter;
        this.history = history;
        this.deletion = deletion;
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response importPkcs12(@RestForm("pkcs12") FileUpload pkcs12, @RestForm("password") String password) {
        ImportedKey imported = importer.importFile(pkcs12 == null ? null : pkcs12.uploadedFile(), password);
        return Response.created(URI.create("/api/v1/keys/" + imported.keyId())).entity(imported).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<KeyHistoryEntry> history(@QueryParam("email") String email) {
        return history.of(email);
    }

    @POST
    @Path("/{keyId}/pkcs12")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(PKCS12)
    public Response export(@PathParam("keyId") UUID keyId, @NotNull ExportRequest request) {
        return Response.ok(exporter.export(keyId, request), PKCS12)
                .header("Content-Disposition", "attachment; filename=\"" + keyId + ".p12\"")
                .build();
    }

    /** Admins only, with a reason; audited. Mail encrypted to the key no longer opens afterwards. */
    @DELETE
    @Path("/{keyId}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("keyId") UUID keyId, @QueryParam("reason") String reason) {
        deletion.delete(keyId, reason);
        return Response.noContent().build();
    }
}
