package dev.smimepki.keystore.keys;

/**
 * A CMS recipient identifier (RFC 5652 section 6.2.1): issuer and serial number, or subject key identifier.
 *
 * @param issuer base64 of the DER X.500 Name of the certificate's issuer
 * @param serialNumber the certificate serial number, hex
 * @param subjectKeyIdentifier base64 of the subjectKeyIdentifier octets
 */
public record FindKeyRequest(String issuer, String serialNumber, String subjectKeyIdentifier) {
}
