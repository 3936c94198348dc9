package dev.smimepki.keystore.operations;

/**
 * A signature over the requested digest.
 *
 * @param signature base64: the RSA signature block, or a DER ECDSA-Sig-Value
 */
public record SignatureValue(String signature) {
}
