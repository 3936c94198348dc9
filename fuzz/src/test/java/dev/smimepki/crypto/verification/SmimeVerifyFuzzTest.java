package dev.smimepki.crypto.verification;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.testpki.TestDirectories;
import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.fuzz.ClientErrors;
import dev.smimepki.fuzz.SmimeSeeds;

/**
 * Signature verification ({@code POST /api/v1/verify}): spooling and MIME parsing, the CMS SignedData, signer
 * certificates, signature and chain checks, offline (no issuer fetch, revocation reported unknown).
 */
class SmimeVerifyFuzzTest {
    private static final SmimeSeeds SEEDS = new SmimeSeeds();
    private static final MessageSpool SPOOL = spool();
    private static final Certificate ROOT = SEEDS.pki().root().certificate();
    private static final SmimeVerifier VERIFIER = new SmimeVerifier(() -> List.of(ROOT));

    /** Input starting like DER is sent as the base64 body of an opaque signed message, so the CMS is mutated. */
    @MethodSource("seeds")
    @FuzzTest
    void verify(byte[] input) {
        byte[] message = input.length > 0 && (input[0] & 0xff) == 0x30 ? SmimeSeeds.wrap(input, "signed-data") : input;
        ClientErrors.only(() -> {
            try (SpooledMessage spooled = SPOOL.spool(new ByteArrayInputStream(message))) {
                VERIFIER.verify(spooled).report();
            }
        });
    }

    static Stream<byte[]> seeds() {
        return SEEDS.signed().stream();
    }

    private static MessageSpool spool() {
        return new MessageSpool(1 << 20, 64 * 1024, TestDirectories.create("fuzz-spool"));
    }
}
