package dev.smimepki.keystore.sealing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * Envelope encryption of private keys at rest: each PKCS#8 encoding under a fresh AES-256 data key (AES-256-GCM, the
 * key id and algorithm as associated data, so a ciphertext moved to another row or relabelled does not decrypt), the
 * data key wrapped by the key-encryption key (AES-256-GCM, the key id and KEK version as associated data). Rotating
 * the KEK rewraps 32-byte data keys only; the private key ciphertexts never change.
 */
@ApplicationScoped
public class EnvelopeEncryption {
    private static final int DATA_KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyEncryptionKeys keks;

    EnvelopeEncryption(KeyEncryptionKeys keks) {
        this.keks = keks;
    }

    /** Seals a PKCS#8 encoding under a new data key wrapped by the active KEK. */
    public SealedPrivateKey seal(UUID keyId, KeyAlgorithm algorithm, byte[] pkcs8) {
        return seal(keyId, algorithm, pkcs8, keks.activeVersion());
    }

    /** As {@link #seal(UUID, KeyAlgorithm, byte[])} under a given KEK version (rotation tests, migrations). */
    public SealedPrivateKey seal(UUID keyId, KeyAlgorithm algorithm, byte[] pkcs8, String kekVersion) {
        byte[] dataKey = new byte[DATA_KEY_BYTES];
        RANDOM.nextBytes(dataKey);
        try {
            byte[] nonce = nonce();
            byte[] ciphertext = gcm(true, dataKey, nonce, privateKeyAad(keyId, algorithm), pkcs8);
            return new SealedPrivateKey(nonce, ciphertext, wrap(keyId, dataKey, kekVersion));
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The PKCS#8 encoding; the caller clears it after use. */
    public byte[] open(UUID keyId, KeyAlgorithm algorithm, SealedPrivateKey sealed) {
        byte[] dataKey = unwrap(keyId, sealed.wrappedDataKey());
        try {
            return gcm(false, dataKey, sealed.nonce(), privateKeyAad(keyId, algorithm), sealed.ciphertext());
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The same data key wrapped by the active KEK instead of the one that wrapped it. */
    public WrappedDataKey rewrap(UUID keyId, WrappedDataKey wrapped) {
        byte[] dataKey = unwrap(keyId, wrapped);
        try {
            return wrap(keyId, dataKey, keks.activeVersion());
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private WrappedDataKey wrap(UUID keyId, byte[] dataKey, String kekVersion) {
        byte[] kek = keks.version(kekVersion).orElseThrow(() -> new IllegalStateException(
                "key-encryption key version " + kekVersion + " is not configured"));
        byte[] nonce = nonce();
        return new WrappedDataKey(kekVersion, nonce, gcm(true, kek, nonce, dataKeyAad(keyId, kekVersion), dataKey));
    }

    private byte[] unwrap(UUID keyId, WrappedDataKey wrapped) {
        byte[] kek = keks.version(wrapped.kekVersion()).orElseThrow(() -> new IllegalStateException(
                "the data key of key " + keyId + " is wrapped under key-encryption key version "
                        + wrapped.kekVersion() + ", which is not configured"));
        return gcm(false, kek, wrapped.nonce(), dataKeyAad(keyId, wrapped.kekVersion()), wrapped.ciphertext());
    }

    private static byte[] privateKeyAad(UUID keyId, KeyAlgorithm algorithm) {
        return ("private-key\0" + keyId + "\0" + algorithm.name()).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] dataKeyAad(UUID keyId, String kekVersion) {
        return ("data-key\0" + keyId + "\0" + kekVersion).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    private static byte[] gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] input) {
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, aad));
        byte[] output = new byte[cipher.getOutputSize(input.length)];
        int length = cipher.processBytes(input, 0, input.length, output, 0);
        try {
            length += cipher.doFinal(output, length);
        } catch (InvalidCipherTextException e) {
            // A wrong KEK, a tampered row or a ciphertext moved to another row; never a client error.
            throw new IllegalStateException("a stored key does not decrypt under the configured key-encryption key",
                    e);
        }
        return length == output.length ? output : Arrays.copyOf(output, length);
    }
}
