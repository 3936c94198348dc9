package dev.smimepki.bench.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformPiecesTest {

    @Test
    void messagesHaveExactlyTheAskedSizeAndWholeCrlfLines(@TempDir Path dir) throws Exception {
        for (long size : new long[]{10_000, 1_000_003}) {
            Path file = Messages.write(dir.resolve(size + ".eml"), "alice@bench.example", "bob@bench.example", size);
            assertEquals(size, Files.size(file));
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            assertTrue(text.startsWith("From: alice@bench.example\r\nTo: bob@bench.example\r\n"));
            assertTrue(text.endsWith("\r\n"));
            assertTrue(text.lines().allMatch(l -> l.length() <= 78), "RFC 5322 line length");
        }
    }

    @Test
    void csrsAreDistinctEcKeysWithValidProofOfPossession() throws Exception {
        List<String> pems = Csrs.ecP256(3);
        assertEquals(3, pems.stream().distinct().count());
        for (String pem : pems) {
            try (PemReader reader = new PemReader(new java.io.StringReader(pem))) {
                JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(
                        new PKCS10CertificationRequest(reader.readPemObject().getContent()));
                assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getPublicKey())));
            }
        }
    }

    @Test
    void readsPeakRssOfARealProcessAndParsesSs() {
        double now = ProcessMemory.rssMb(ProcessHandle.current().pid());
        double peak = ProcessMemory.peakRssMb(ProcessHandle.current().pid());
        assertTrue(peak >= now && now > 1, "peak " + peak + " MB, now " + now + " MB");
        assertEquals(12.582912, ProcessMemory.parseKbLine("VmHWM:\t   12288 kB"), 1e-9);
        assertEquals(OptionalLong.of(4242), ProcessMemory.parseSsPid(
                "LISTEN 0 100 *:8083 *:* users:((\"java\",pid=4242,fd=12))"));
        assertEquals(OptionalLong.empty(), ProcessMemory.parseSsPid(""));
    }
}
