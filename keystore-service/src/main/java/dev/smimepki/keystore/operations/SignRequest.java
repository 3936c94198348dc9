package dev.smimepki.keystore.operations;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Sign a digest with a stored key.
 *
 * @param scheme RSA_PKCS1, RSA_PSS or ECDSA
 * @param digestAlgorithm SHA_256, SHA_384 or SHA_512
 * @param digest base64 of the digest, as long as the digest algorithm's output
 */
public record SignRequest(@NotNull SignatureScheme scheme, @NotNull DigestAlgorithm digestAlgorithm,
        @NotBlank String digest) {
}
