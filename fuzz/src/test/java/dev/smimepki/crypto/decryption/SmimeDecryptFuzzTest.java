package dev.smimepki.crypto.decryption;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.smimepki.core.testpki.TestDirectories;
import dev.smimepki.crypto.keys.TestPkiKeys;
import dev.smimepki.crypto.mime.MessageSpool;
import dev.smimepki.crypto.mime.SpooledMessage;
import dev.smimepki.fuzz.ClientErrors;
import dev.smimepki.fuzz.SmimeSeeds;

/**
 * Decryption ({@code POST /api/v1/decrypt}): MIME parsing, the streamed EnvelopedData and AuthEnvelopedData, recipient
 * choice, content decryption and the GCM tag check. The recipients' keys are held in the test process.
 */
class SmimeDecryptFuzzTest {
    private static final SmimeSeeds SEEDS = new SmimeSeeds();
    private static final MessageSpool SPOOL = spool();
    private static final SmimeDecryptor DECRYPTOR = new SmimeDecryptor(keys(), SPOOL);

    /** Input starting like DER is sent as the base64 body of an enveloped message, so the CMS is mutated. */
    @MethodSource("seeds")
    @FuzzTest
    void decrypt(byte[] input) {
        byte[] message = input.length > 0 && (input[0] & 0xff) == 0x30
                ? SmimeSeeds.wrap(input, "enveloped-data")
                : input;
        ClientErrors.only(() -> {
            try (SpooledMessage spooled = SPOOL.spool(new ByteArrayInputStream(message))) {
                DECRYPTOR.decrypt(spooled.message(), key -> true, OutputStream.nullOutputStream());
            }
        });
    }

    static Stream<byte[]> seeds() {
        return SEEDS.encrypted().stream();
    }

    /** keystore-service's side of decryption, done in this process with the seeds' private keys. */
    private static TestPkiKeys keys() {
        TestPkiKeys keys = new TestPkiKeys();
        SEEDS.recipients().forEach(keys::add);
        return keys;
    }

    private static MessageSpool spool() {
        return new MessageSpool(1 << 20, 64 * 1024, TestDirectories.create("fuzz-spool"));
    }
}
