package dev.smimepki.crypto.keys;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.smimepki.runtime.auth.ServiceTokenHeader;

/** keystore-service's internal API ({@code pki-service} role), as crypto-service calls it. */
@RegisterRestClient(configKey = "keystore")
@Path("/internal/v1/keys")
@RegisterProvider(ServiceTokenHeader.class)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface KeystoreApi {

    @GET
    @Path("/signing")
    SigningKeyView signingKey(@QueryParam("email") String email);

    @POST
    @Path("/find")
    KeyMatch find(FindKeyRequest request);

    @POST
    @Path("/{keyId}/sign")
    SignResponse sign(@PathParam("keyId") String keyId, SignRequest request);

    @POST
    @Path("/{keyId}/decrypt")
    DecryptResponse decrypt(@PathParam("keyId") String keyId, DecryptRequest request);

    /**
     * @param keyId the key's id
     * @param keyAlgorithm e.g. {@code RSA_2048}
     * @param certificatePem the signer certificate
     * @param chainPem the issuing CAs, issuer first
     */
    record SigningKeyView(String keyId, String keyAlgorithm, String certificatePem, String chainPem) {
    }

    /**
     * Either issuer and serial or subject key identifier.
     *
     * @param issuer base64 DER of the issuer Name
     * @param serialNumber hex serial number
     * @param subjectKeyIdentifier base64 key identifier
     */
    record FindKeyRequest(String issuer, String serialNumber, String subjectKeyIdentifier) {
    }

    record KeyMatch(String keyId, String certificatePem) {
    }

    /**
     * @param scheme a {@link SignatureScheme} name
     * @param digestAlgorithm a {@link DigestAlgorithm} name
     * @param digest base64 of the digest
     */
    record SignRequest(String scheme, String digestAlgorithm, String digest) {
    }

    record SignResponse(String signature) {
    }

    /**
     * @param recipientInfo base64 DER of the CMS RecipientInfo
     * @param contentEncryptionAlgorithm base64 DER of the content-encryption AlgorithmIdentifier
     */
    record DecryptRequest(String recipientInfo, String contentEncryptionAlgorithm) {
    }

    record DecryptResponse(String contentEncryptionKey) {
    }
}
