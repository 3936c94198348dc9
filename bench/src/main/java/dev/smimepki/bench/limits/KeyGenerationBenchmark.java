package dev.smimepki.bench.limits;

import java.security.KeyPair;
import java.security.KeyPairGenerator;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.smimepki.bench.BenchAlgorithms;
import dev.smimepki.bench.BenchAlgorithms.Impl;
import dev.smimepki.core.policy.KeyAlgorithm;

/** The raw limit of server-side key generation on one core. RSA-2048 is a prime search: its rate varies a lot. */
@State(Scope.Thread)
public class KeyGenerationBenchmark {
    @Param({"EC_P256", "RSA_2048"})
    public String key;

    @Param({"BC", "JDK"})
    public String keygenImpl;

    private KeyPairGenerator generator;

    @Setup
    public void setUp() throws Exception {
        generator = BenchAlgorithms.keyPairGenerator(KeyAlgorithm.valueOf(key), Impl.valueOf(keygenImpl));
    }

    @Benchmark
    public KeyPair generate() {
        return generator.generateKeyPair();
    }
}
