package dev.smimepki.bench.limits;

import java.security.MessageDigest;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.smimepki.bench.BenchAlgorithms;
import dev.smimepki.bench.BenchAlgorithms.Impl;
import dev.smimepki.core.policy.AlgorithmPolicy;

/** SHA-256 and AES-256-CBC over 1 MiB per operation: ops/s is MiB/s, the bulk work inside every CMS stream. */
@State(Scope.Thread)
public class BulkCryptoBenchmark {
    /** One MiB, a multiple of the AES block so the cipher runs without padding. */
    public static final int CHUNK = 1 << 20;

    @Param({"JDK", "BC"})
    public String impl;

    private final byte[] data = new byte[CHUNK];
    private final byte[] out = new byte[CHUNK];
    private MessageDigest digest;
    private Cipher cipher;

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = new SecureRandom();
        random.nextBytes(data);
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        random.nextBytes(key);
        random.nextBytes(iv);
        digest = BenchAlgorithms.sha256(Impl.valueOf(impl));
        cipher = BenchAlgorithms.aes256Cbc(Impl.valueOf(impl));
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, AlgorithmPolicy.AES), new IvParameterSpec(iv));
    }

    @Benchmark
    public byte[] sha256() {
        digest.update(data);
        return digest.digest();
    }

    /** CBC chaining continues across calls, as in one long stream. */
    @Benchmark
    public int aes256Cbc() throws Exception {
        return cipher.update(data, 0, data.length, out, 0);
    }
}
