package dev.smimepki.directory.upload;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.auth.Roles;

/** Upload of recipient certificates and, for admins, trust anchors. */
@Path("/api/v1/directory/certificates")
@RolesAllowed({Roles.ADMIN, Roles.USER, Roles.SERVICE})
public class UploadResource {
    private final CertificateUpload upload;
    private final Caller caller;

    UploadResource(CertificateUpload upload, Caller caller) {
        this.upload = upload;
        this.caller = caller;
    }

    @POST
    @Consumes(UploadFormat.PEM_FILE)
    @Produces(MediaType.APPLICATION_JSON)
    public Response pem(byte[] body) {
        return created(upload.upload(body, UploadFormat.PEM, caller.isAdmin()));
    }

    @POST
    @Consumes(UploadFormat.PKIX_CERT)
    @Produces(MediaType.APPLICATION_JSON)
    public Response der(byte[] body) {
        return created(upload.upload(body, UploadFormat.DER, caller.isAdmin()));
    }

    @POST
    @Consumes(UploadFormat.PKCS7_MIME)
    @Produces(MediaType.APPLICATION_JSON)
    public Response pkcs7(byte[] body) {
        return created(upload.upload(body, UploadFormat.PKCS7, caller.isAdmin()));
    }

    private static Response created(UploadResult result) {
        return Response.status(Response.Status.CREATED).entity(result).build();
    }
}
