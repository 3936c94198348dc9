package dev.smimepki.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.smimepki.bench.driver.Options;
import dev.smimepki.bench.soak.Soak;
import dev.smimepki.bench.soak.SoakMain;
import dev.smimepki.bench.soak.SoakSchedule;

/**
 * The soak of {@code ./bench/run --soak} (docs/benchmarks.md, "Load held") for one measured minute against the real
 * platform, so its load path cannot rot: every operation of the mix (issuance, server key generation, PKCS#12
 * export, look-ups over HTTP and LDAP, S/MIME sign, verify, encrypt and decrypt, revocation, CRL and OCSP) answered
 * and checked at its rate, no error, and the verdict, memory included, passes. Half the soak's rates (5 % of the
 * machine as the quick bench measured it) after 30 s of warm-up: the services here may be freshly started and the
 * machine shared; with 15 s, a cold platform on a machine at load 50 stalled for 20 s and the directory's LDAP
 * searches ran into their time limit. Without the modern PKCS#12 export (the legacy one keeps the export path): at
 * half the soak's rate it is due less than once a minute, too rare to be checked in one; the full soak keeps it (its
 * 500 on a starved machine, key derivation outliving the transaction, is fixed: docs/benchmarks.md, "Found on the
 * way"). The ten-minute figures come from the full soak.
 */
class LoadHeldTest {
    private static final Duration WARMUP = Duration.ofSeconds(30);
    private static final double RATE_SCALE = 0.5;

    @Test
    void aMinuteOfMixedLoadIsAnsweredWithoutErrorAtItsRate(@TempDir Path out) throws Exception {
        Platform platform = Platform.get();
        Options options = Options.parse(List.of("--ca", platform.url("ca-service"), "--keystore",
                platform.url("keystore-service"), "--crypto", platform.url("crypto-service"), "--directory",
                platform.url("directory-service"), "--ldap", "127.0.0.1:" + platform.ldapPort(), "--out",
                out.toString()),
                Map.of("BENCH_ADMIN_TOKEN", platform.adminToken(), "BENCH_SERVICE_TOKEN",
                        platform.token("pki-service", null)));

        Soak.Result result = SoakMain.run(options, SoakSchedule.of(1, WARMUP, RATE_SCALE).without("pkcs12-modern"));

        String failures = String.join("\n", result.failures());
        assertEquals(0, result.errors(), failures);
        assertEquals(SoakSchedule.MIX.size() - 1, result.operations().size());
        for (Soak.OperationFigures operation : result.operations()) {
            assertTrue(operation.answered() > 0, operation.operation() + " was never answered");
        }
        assertTrue(result.held(), failures);
    }
}
