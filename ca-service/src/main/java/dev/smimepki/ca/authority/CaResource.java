package dev.smimepki.ca.authority;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Variant;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.auth.Roles;

/** Certificate authorities: create, import, list, show, and their certificates for relying parties. */
@Path("/api/v1/cas")
public class CaResource {
    static final String PKIX_CERT = "application/pkix-cert";
    static final String PEM_FILE = "application/x-pem-file";
    static final String PEM_CHAIN = "application/pem-certificate-chain";
    /** DER first: it is what caIssuers (RFC 5280 section 4.2.2.1) and a bare Accept get. */
    private static final MediaType DER = MediaType.valueOf(PKIX_CERT);
    private static final int MAX_NAME_LENGTH = 200;
    private static final List<Variant> CERTIFICATE_VARIANTS = Variant.mediaTypes(DER, MediaType.valueOf(PEM_FILE))
            .build();

    private final CertificateAuthorityService service;
    private final CaImportService importService;
    private final Caller caller;

    CaResource(CertificateAuthorityService service, CaImportService importService, Caller caller) {
        this.service = service;
        this.importService = importService;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateCaRequest request) {
        CaView created = service.create(request, caller.name());
        return Response.created(URI.create("/api/v1/cas/" + created.id())).entity(created).build();
    }

    /** Brings in an existing CA: multipart {@code pkcs12} (a file), {@code password} and optionally {@code name}. */
    @POST
    @Path("/import")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response importCa(@RestForm("pkcs12") @NotNull FileUpload pkcs12,
            @RestForm("password") @NotNull String password,
            @RestForm("name") @Size(max = MAX_NAME_LENGTH) String name) {
        CaView imported = importService.importCa(pkcs12.uploadedFile(), password, name, caller.name());
        return Response.created(URI.create("/api/v1/cas/" + imported.id())).entity(imported).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<CaView> list() {
        return service.list();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public CaView find(@PathParam("id") UUID id) {
        return service.find(id);
    }

    /** DER ({@code application/pkix-cert}, the default) or PEM, as the Accept header asks. */
    @GET
    @Path("/{id}/certificate")
    public Response certificate(@PathParam("id") UUID id, @Context Request request) {
        byte[] der = service.certificate(id);
        Variant variant = request.selectVariant(CERTIFICATE_VARIANTS);
        if (variant == null) {
            throw new NotAcceptableException("the CA certificate is served as " + DER + " or " + PEM_FILE
                    + "; the Accept header allows neither");
        }
        MediaType type = variant.getMediaType();
        return DER.equals(type)
                ? Response.ok(der, type).build()
                : Response.ok(Pem.encode(PemType.CERTIFICATE, der), type).build();
    }

    @GET
    @Path("/{id}/chain")
    @Produces(PEM_CHAIN)
    public String chain(@PathParam("id") UUID id) {
        return service.chainPem(id);
    }
}
