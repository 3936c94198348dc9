package dev.smimepki.ca.authority;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import dev.smimepki.ca.CaConfig;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * Encrypts CA private keys at rest with AES-256-GCM under the key-encryption key. The CA id is the associated data,
 * so a ciphertext copied onto another CA's row does not decrypt.
 */
@ApplicationScoped
class CaKeyEncryption {
    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] keyEncryptionKey;

    @Inject
    CaKeyEncryption(CaConfig config) {
        this(decodeKey(config.keyEncryptionKey()));
    }

    CaKeyEncryption(byte[] keyEncryptionKey) {
        if (keyEncryptionKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("pki.ca.key-encryption-key must be base64 of exactly " + KEY_BYTES
                    + " bytes");
        }
        this.keyEncryptionKey = keyEncryptionKey.clone();
    }

    /** A CA private key sealed for storage. */
    record Sealed(byte[] nonce, byte[] ciphertext) {
    }

    Sealed seal(UUID caId, byte[] pkcs8) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return new Sealed(nonce, run(true, caId, nonce, pkcs8));
    }

    byte[] open(UUID caId, Sealed sealed) {
        return run(false, caId, sealed.nonce(), sealed.ciphertext());
    }

    private byte[] run(boolean encrypt, UUID caId, byte[] nonce, byte[] input) {
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(keyEncryptionKey), TAG_BITS, nonce,
                caId.toString().getBytes(StandardCharsets.US_ASCII)));
        byte[] output = new byte[cipher.getOutputSize(input.length)];
        int length = cipher.processBytes(input, 0, input.length, output, 0);
        try {
            length += cipher.doFinal(output, length);
        } catch (InvalidCipherTextException e) {
            // A wrong key-encryption key or a tampered row: never a client error, and nothing a retry cures.
            throw new ProblemException(ProblemException.Kind.DEPENDENCY_UNAVAILABLE, "ca-key-unavailable",
                    "the private key of CA " + caId + " does not decrypt under the configured key-encryption key"
                            + " (PKI_CA_KEY_ENCRYPTION_KEY differs from the one it was stored with, or the row was"
                            + " altered)",
                    java.util.List.of(), e);
        }
        return length == output.length ? output : Arrays.copyOf(output, length);
    }

    private static byte[] decodeKey(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pki.ca.key-encryption-key is not base64", e);
        }
    }
}
