package dev.smimepki.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pki demo}: starts the platform when it is not running, then walks the story of the seed documents through
 * the public APIs and leaves every artifact in a folder a person can import into a mail client.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, header = "Run the whole story: CAs, Alice and Bob, signed and"
        + " encrypted mail, revocation.", description = {
                "Starts the platform if it is not running (as ./pki up does; not when PKI_*_URL name other services),"
                        + " then: creates a root and an issuing CA; issues Alice's certificate with a key made in"
                        + " keystore-service and Bob's from a CSR made here; exports Alice's PKCS#12 in both profiles;"
                        + " Alice signs and encrypts a message to Bob; Bob decrypts and verifies it; Alice's"
                        + " certificate is harvested into the directory; Alice's certificate is revoked and the CRL,"
                        + " OCSP, the directory and encryption all say so.",
                "Every run uses new names (CAs, addresses), so it works any number of times. The artifacts and a"
                        + " README.txt on importing them into Thunderbird or Apple Mail go to --out.",
                "It acts as pki-admin, Alice and Bob at once, so it mints its tokens from .pki/secrets.env (the"
                        + " platform ./pki up runs); it fails naming the step when a service refuses or lacks a"
                        + " feature."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out", description = "Where the artifacts go"
            + " (default: ./${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        Pki pki = Pki.of(spec);
        PrintWriter stdout = spec.commandLine().getOut();
        ServiceUrls urls = pki.urls();
        if (!urls.explicit()) {
            ensureRunning(pki, urls, stdout);
        }
        Tokens tokens = new Tokens(pki.home());
        new DemoStory(new PlatformClient(urls, tokens.admin()), tokens, out, stdout).run();
        return ExitCode.OK;
    }

    /** {@code pki up} semantics: start when nothing runs, use it when all is ready, refuse a half-started platform. */
    private void ensureRunning(Pki pki, ServiceUrls urls, PrintWriter stdout) {
        HealthProbe probe = new HealthProbe();
        List<String> notReady = new ArrayList<>();
        for (PlatformService service : PlatformService.values()) {
            if (probe.check(java.net.URI.create(urls.of(service) + "/q/health/ready")) != HealthProbe.Readiness.READY) {
                notReady.add(service.id());
            }
        }
        if (notReady.isEmpty()) {
            stdout.println("the platform is running (./pki status shows it)");
            stdout.flush();
            return;
        }
        PlatformHome home = pki.home();
        if (home.pidFile(PlatformHome.SUPERVISOR).liveProcess().isPresent()) {
            throw new CommandFailure(ExitCode.UNREACHABLE, "the platform is running but not ready (" + String.join(
                    ", ", notReady) + "); ./pki status shows why, ./pki down and ./pki up restart it");
        }
        stdout.println("the platform is not running: starting it (./pki up)");
        stdout.flush();
        CommandLine up = spec.root().commandLine().getSubcommands().get("up");
        int started = up.execute();
        if (started != ExitCode.OK) {
            throw new CommandFailure(started, "the platform did not start (see above); the demo needs it");
        }
        stdout.println();
        stdout.flush();
    }
}
