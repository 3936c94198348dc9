package dev.smimepki.crypto.decryption;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.crypto.mime.OutgoingMessage;

/**
 * A temporary file holding plaintext that must not be released yet (AES-GCM output before its tag is checked),
 * encrypted under a key that exists only in this object: whatever is left on disk after a crash, or read by someone
 * else meanwhile, is noise. AES-CTR from the JDK provider (CPU intrinsics, streams any length, no padding).
 */
final class SealedStagingFile implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_BYTES = 32;
    private static final int BLOCK = 16;
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final byte[] key = new byte[KEY_BYTES];
    private final byte[] counter = new byte[BLOCK];

    SealedStagingFile(Path file) {
        this.file = file;
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(counter);
    }

    /** Writes plaintext to the file, encrypted. */
    OutputStream output() throws IOException {
        return new CipherOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER),
                cipher(Cipher.ENCRYPT_MODE));
    }

    /** Reads the staged plaintext back, decrypted. */
    InputStream input() throws IOException {
        return new CipherInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER),
                cipher(Cipher.DECRYPT_MODE));
    }

    /** The raw file, for tests that check nothing readable was staged. */
    Path file() {
        return file;
    }

    @Override
    public void close() {
        Arrays.fill(key, (byte) 0);
        OutgoingMessage.delete(file);
    }

    private Cipher cipher(int mode) {
        try {
            Cipher cipher = Cipher.getInstance(AlgorithmPolicy.AES_CTR);
            cipher.init(mode, new SecretKeySpec(key, AlgorithmPolicy.AES), new IvParameterSpec(counter));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES-CTR", e);
        }
    }
}
