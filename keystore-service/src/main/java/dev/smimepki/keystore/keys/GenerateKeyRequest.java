package dev.smimepki.keystore.keys;

import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * ca-service asks for a key to certify.
 *
 * @param keyAlgorithm RSA_2048, RSA_3072, RSA_4096, EC_P256 or EC_P384
 * @param emails the mailboxes the key is for; its key history
 */
public record GenerateKeyRequest(@NotNull KeyAlgorithm keyAlgorithm, @NotEmpty List<@NotNull String> emails) {
}
