package dev.smimepki.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ReportTest {

    private static Figure platform(String id, String unit, double throughput, double p99) {
        return new Figure(id, "platform", id, unit, throughput, p99 / 2, p99 / 1.5, p99, 100, 0, 8, Double.NaN,
                null);
    }

    private static List<Figure> figures() {
        return List.of(
                Figure.limit("limit.issue-csr.RSA_2048.BC", "l", "ops/s", 1000, null),
                Figure.limit("limit.issue-csr.EC_P256.BC", "l", "ops/s", 6000, null),
                Figure.limit("limit.keygen.EC_P256.BC", "l", "ops/s", 3000, null),
                Figure.limit("limit.cms.SIGN_AND_ENCRYPT.100000000.PICKED", "l", "MB/s", 500, null),
                platform("issue-csr.RSA_2048", "ops/s", 400, 30),
                platform("issue-csr.EC_P256", "ops/s", 2500, 10),
                platform("keygen.EC_P256", "ops/s", 1000, 10),
                platform("smime.sign-and-encrypt.100000000", "MB/s", 300, 400),
                new Figure("openssl.sign-and-encrypt.100000000", "openssl", "o", "MB/s", 100, 1, 1, 1, 1, 0, 1,
                        Double.NaN, null),
                platform("ldap.platform", "ops/s", 5000, 2),
                new Figure("ldap.slapd", "slapd", "s", "ops/s", 10_000, 1, 1, 1, 1, 0, 8, Double.NaN, null),
                platform("directory.http", "ops/s", 12_000, 6));
    }

    @Test
    void ratiosDivideByTheReferenceOfTheSameRunAndSerialStepsCombine() {
        List<Report.Ratio> ratios = Report.ratios(figures());
        assertEquals(0.4, Report.ratioOf(ratios, "issue-csr.RSA_2048", "limit").orElseThrow(), 1e-9);
        // key generation then signature on one core: 1 / (1/3000 + 1/6000) = 2000/s
        assertEquals(0.5, Report.ratioOf(ratios, "keygen.EC_P256", "limit").orElseThrow(), 1e-9);
        assertEquals(0.6, Report.ratioOf(ratios, "smime.sign-and-encrypt.100000000", "limit").orElseThrow(), 1e-9);
        assertEquals(3.0, Report.ratioOf(ratios, "smime.sign-and-encrypt.100000000", "openssl").orElseThrow(), 1e-9);
        assertEquals(0.5, Report.ratioOf(ratios, "ldap.platform", "slapd").orElseThrow(), 1e-9);
        assertTrue(Report.ratioOf(ratios, "smime.sign.100000000", "limit").isEmpty(), "not measured, no ratio");
    }

    @Test
    void targetsSayMetOrMissedAndByHowMuch() {
        List<Report.Target> targets = Report.targets(figures(), Report.ratios(figures()));
        Report.Target rsa = find(targets, "RSA-2048");
        assertFalse(rsa.met());
        assertEquals(0.8, rsa.margin(), 1e-9);
        Report.Target ec = find(targets, "EC P-256 CA");
        assertTrue(ec.met());
        assertEquals(1.25, ec.margin(), 1e-9);
        assertFalse(find(targets, "server key generation").met());
        assertTrue(find(targets, "2x openssl").met());
        assertTrue(find(targets, "HTTP >= 10000").met());
        assertFalse(find(targets, "p99 < 5 ms").met());
        assertFalse(find(targets, "as fast as slapd").met());
    }

    @Test
    void writesJsonMarkdownAndAPlot(@TempDir Path dir) throws Exception {
        Options options = Options.parse(List.of("--quick", "--out", dir.toString()),
                Map.of("BENCH_ADMIN_TOKEN", "a", "BENCH_SERVICE_TOKEN", "s"));
        Machine machine = new Machine("cpu", 2, 8.0, "Linux", "OpenJDK 17", "0.1 0.2 0.3");
        Report report = new Report(machine, options, figures(), Map.of("openssl", "OpenSSL 3"), "0.5 0.5 0.5");
        report.write(dir);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(2, json.at("/machine/cores").asInt());
        assertEquals(figures().size(), json.get("figures").size());
        assertEquals("NaN", json.at("/figures/0/p50Ms").asText(), "JMH figures carry no latency");
        String markdown = Files.readString(dir.resolve("results.md"));
        assertTrue(markdown.contains("| issue-csr.RSA_2048 | platform | 400 ops/s |"), markdown);
        assertTrue(markdown.contains("**missed**"));
        assertTrue(report.table().contains("MISSED"));

        Path png = dir.resolve("results.png");
        Plot.write(report.ratios(), "test", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 500 && image.getHeight() > 100);
    }

    @Test
    void plotAxisIsLogarithmicAndClamped() {
        assertEquals(0, Plot.x(1e-3, 500));
        assertEquals(300, Plot.x(1, 500));
        assertEquals(500, Plot.x(1e2, 500));
        assertEquals(500, Plot.x(1e6, 500));
        assertEquals(0, Plot.x(0, 500));
    }

    private static Report.Target find(List<Report.Target> targets, String text) {
        return targets.stream().filter(t -> t.target().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no target containing '" + text + "' in " + targets));
    }
}
