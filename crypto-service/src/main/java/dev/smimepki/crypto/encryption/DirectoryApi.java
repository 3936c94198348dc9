package dev.smimepki.crypto.encryption;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** directory-service's public look-up (no token), as crypto-service reads it; fields it does not need are ignored. */
@RegisterRestClient(configKey = "directory")
@Path("/api/v1/directory")
@Produces(MediaType.APPLICATION_JSON)
public interface DirectoryApi {

    @GET
    @Path("/{email}")
    Entry entry(@PathParam("email") String email);

    /**
     * @param email the mailbox as the directory matched it
     * @param preferred fingerprint of the certificate to encrypt to; null when none is usable
     * @param reason why none is usable, when none is
     * @param certificates every certificate of the mailbox
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String email, String preferred, String reason, List<CertificateEntry> certificates) {
    }

    /**
     * @param fingerprintSha256 hex SHA-256 of the DER
     * @param status {@code valid}, {@code revoked} or {@code expired}
     * @param pem the certificate
     * @param smimeCapabilities algorithm OIDs its owner announced in signed mail, null when never seen
     * @param rejectedBecause why it was not chosen
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CertificateEntry(String fingerprintSha256, String status, String pem, List<String> smimeCapabilities,
            List<String> rejectedBecause) {
    }
}
