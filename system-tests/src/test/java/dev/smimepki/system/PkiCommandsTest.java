package dev.smimepki.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.path.json.JsonPath;

import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.infra.Ports;

/**
 * The {@code pki} user commands against the real platform (services as processes, real Kafka and PostgreSQL), their
 * outputs judged by openssl: CAs, issuance with a generated key and from a CSR, PKCS#12 export in both profiles, key
 * history, directory look-up, revocation, CRL, S/MIME messages, and the exit codes scripts rely on.
 */
class PkiCommandsTest {
    @TempDir
    static Path dir;

    static Platform platform;
    static PkiCli pki;
    static String run;
    static Path rootPem;
    static Path issuingPem;
    static String issuingId;

    @BeforeAll
    static void hierarchy() throws Exception {
        platform = Platform.get();
        pki = new PkiCli(platform, dir.resolve("home"));
        run = UUID.randomUUID().toString().substring(0, 8);
        PkiCli.Run root = pki.run("ca", "create", "--name", "Cli Root " + run, "--subject", "CN=Cli Root " + run,
                "--key-algorithm", "RSA_2048", "--json").ok();
        String rootId = JsonPath.from(root.out()).getString("id");
        rootPem = Files.writeString(dir.resolve("root.pem"), JsonPath.from(root.out()).getString("certificatePem"));
        PkiCli.Run issuing = pki.run("ca", "create", "--name", "Cli Issuing " + run, "--subject",
                "CN=Cli Issuing " + run, "--key-algorithm", "RSA_2048", "--issuer", rootId, "--json").ok();
        issuingId = JsonPath.from(issuing.out()).getString("id");
        issuingPem = Files.writeString(dir.resolve("issuing.pem"), JsonPath.from(issuing.out()).getString(
                "certificatePem"));
        PkiCli.Run table = pki.run("ca", "create", "--name", "Cli Other " + run, "--subject", "CN=Cli Other " + run,
                "--issuer", rootId).ok();
        assertTrue(table.out().contains("issuer:") && table.out().contains(rootId) && table.out().contains(
                "EC_P256"), table::toString);
    }

    @Test
    void caListShowsBothAuthoritiesAsATable() {
        PkiCli.Run list = pki.run("ca", "list").ok();
        assertTrue(list.out().startsWith("ID"), list::toString);
        assertTrue(list.out().contains("Cli Root " + run) && list.out().contains("Cli Issuing " + run),
                list::toString);
        PkiCli.Run json = pki.run("ca", "list", "--json").ok();
        assertTrue(JsonPath.from(json.out()).getList("name").contains("Cli Issuing " + run), json::toString);
    }

    @Test
    void issuedCertificatesPassOpensslAndTheKeyExportsInBothProfiles() throws Exception {
        String mailbox = "carol." + run + "@example.com";
        Path out = dir.resolve("carol");
        PkiCli.Run issued = pki.run("issue", "--ca", issuingId, "--email", mailbox, "--email", "carol2." + run
                + "@example.com", "--key-algorithm", "RSA_2048", "--out", out.toString(), "--json").ok();
        String keyId = JsonPath.from(issued.out()).getString("keyId");
        assertEquals(List.of(mailbox, "carol2." + run + "@example.com"), JsonPath.from(issued.out()).getList(
                "emails"));
        for (String purpose : List.of("smimesign", "smimeencrypt")) {
            String verified = OpenSsl.run("verify", "-CAfile", rootPem.toString(), "-untrusted", issuingPem
                    .toString(), "-purpose", purpose, out.resolve("cert.pem").toString());
            assertTrue(verified.contains(": OK"), verified);
        }
        assertTrue(Files.readString(out.resolve("chain.pem")).contains("BEGIN CERTIFICATE"));

        Path password = Files.writeString(dir.resolve("password.txt"), "Correct-Horse-" + run + "\n");
        Path legacy = dir.resolve("carol-legacy.p12");
        Path modern = dir.resolve("carol-modern.p12");
        awaitExportable(keyId, legacy, password);
        pki.run("export", keyId, "--profile", "modern", "--out", modern.toString(), "--password-file", password
                .toString()).ok();
        String legacyInfo = OpenSsl.run("pkcs12", "-info", "-legacy", "-in", legacy.toString(), "-noout", "-passin",
                "file:" + password);
        assertTrue(legacyInfo.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), legacyInfo);
        String modernInfo = OpenSsl.run("pkcs12", "-info", "-in", modern.toString(), "-noout", "-passin", "file:"
                + password);
        assertTrue(modernInfo.contains("AES-256-CBC"), modernInfo);
        String certificates = OpenSsl.run("pkcs12", "-in", modern.toString(), "-nokeys", "-passin", "file:"
                + password);
        assertEquals(3, certificates.split("BEGIN CERTIFICATE", -1).length - 1, "key, certificate and full chain");

        PkiCli.Run keys = pki.run("keys", mailbox).ok();
        assertTrue(keys.out().contains(keyId) && keys.out().contains("generated"), keys::toString);

        PkiCli.Run weak = pki.run("export", keyId, "--out", dir.resolve("weak.p12").toString(), "--password-file",
                Files.writeString(dir.resolve("weak.txt"), "aaaa\n").toString());
        assertEquals(1, weak.exitCode(), weak::toString);
        assertTrue(weak.err().contains("HTTP 422") && weak.err().contains("password"), weak::toString);
    }

    @Test
    void csrIssuanceRevocationAndTheCrl() throws Exception {
        String mailbox = "dave." + run + "@example.com";
        Path key = dir.resolve("dave.key");
        Path csr = dir.resolve("dave.csr");
        OpenSsl.run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-subj",
                "/CN=Dave", "-out", csr.toString());
        Path out = dir.resolve("dave");
        PkiCli.Run issued = pki.run("issue", "--ca", issuingId, "--email", mailbox, "--csr", csr.toString(), "--out",
                out.toString()).ok();
        assertTrue(issued.out().contains("yours (from the CSR)"), issued::toString);
        String serial = issued.out().lines().filter(line -> line.startsWith("serial:")).findFirst().orElseThrow()
                .substring(7).strip();
        String modulusCert = OpenSsl.run("x509", "-in", out.resolve("cert.pem").toString(), "-noout", "-modulus");
        assertEquals(OpenSsl.run("rsa", "-in", key.toString(), "-noout", "-modulus"), modulusCert,
                "the certificate carries the CSR's key");

        PkiCli.Run lookup = awaitPreferred(mailbox);
        assertTrue(lookup.out().contains("(preferred)"), lookup::toString);

        PkiCli.Run revoked = pki.run("revoke", serial, "--reason", "keyCompromise").ok();
        assertTrue(revoked.out().contains("revoked") && revoked.out().contains("keyCompromise"), revoked::toString);
        PkiCli.Run again = pki.run("revoke", serial, "--reason", "keyCompromise");
        assertEquals(1, again.exitCode(), again::toString);
        assertTrue(again.err().contains("HTTP 409"), again::toString);

        Path crlFile = dir.resolve("issuing.crl");
        PkiCli.Run crl = pki.run("crl", issuingId, "--out", crlFile.toString()).ok();
        assertTrue(crl.out().contains(serial) && crl.out().contains("keyCompromise"), crl::toString);
        assertTrue(crl.out().contains("crl number:"), crl::toString);
        String text = OpenSsl.run("crl", "-inform", "DER", "-in", crlFile.toString(), "-noout", "-text");
        assertTrue(text.toUpperCase(Locale.ROOT).replace(":", "").contains(new BigInteger(serial, 16).toString(16)
                .toUpperCase(Locale.ROOT)), text);
        OpenSsl.run("crl", "-inform", "DER", "-in", crlFile.toString(), "-noout", "-CAfile", issuingPem.toString());
    }

    @Test
    void messagesAreSignedEncryptedDecryptedAndVerified() throws Exception {
        String alice = "erin." + run + "@example.com";
        String bob = "frank." + run + "@example.com";
        Path aliceOut = dir.resolve("erin");
        pki.run("issue", "--ca", issuingId, "--email", alice, "--key-algorithm", "RSA_2048", "--out", aliceOut
                .toString()).ok();
        pki.run("issue", "--ca", issuingId, "--email", bob, "--key-algorithm", "RSA_2048").ok();
        awaitPreferred(alice);
        awaitPreferred(bob);
        Path message = Files.writeString(dir.resolve("message.eml"), "From: Erin <" + alice + ">\r\nTo: Frank <"
                + bob + ">\r\nSubject: cli\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello " + run
                + "\r\n");

        Path signed = dir.resolve("signed.eml");
        pki.run("sign", "--in", message.toString(), "--out", signed.toString()).ok();
        Path chain = Files.writeString(dir.resolve("erin-trust.pem"), Files.readString(rootPem));
        String content = OpenSsl.run("cms", "-verify", "-in", signed.toString(), "-CAfile", chain.toString(),
                "-certfile", issuingPem.toString(), "-purpose", "smimesign");
        assertTrue(content.contains("hello " + run), content);

        PkiCli.Run verify = pki.run("verify", "--in", signed.toString());
        assertTrue(verify.out().contains("signature:     matches the content"), verify::toString);
        assertTrue(verify.out().contains(alice), verify::toString);

        Path encrypted = dir.resolve("encrypted.eml");
        pki.run("encrypt", "--in", message.toString(), "--out", encrypted.toString()).ok();
        assertTrue(Files.readString(encrypted).contains("application/pkcs7-mime"));
        Path decrypted = dir.resolve("decrypted.eml");
        pki.run("decrypt", "--in", encrypted.toString(), "--out", decrypted.toString()).ok();
        assertTrue(Files.readString(decrypted).contains("hello " + run));

        PkiCli.Run stranger = pki.run("decrypt", "--as", "nobody." + run + "@example.com", "--in", encrypted
                .toString(), "--out", dir.resolve("nothing.eml").toString());
        assertNotEquals(0, stranger.exitCode(), stranger::toString);
        assertFalse(Files.exists(dir.resolve("nothing.eml")), "no partial output on failure");

        Path unknown = Files.writeString(dir.resolve("unknown.eml"), "From: Erin <" + alice + ">\r\nTo: nobody."
                + run + "@example.com\r\nSubject: x\r\n\r\nbody\r\n");
        PkiCli.Run refused = pki.run("encrypt", "--in", unknown.toString(), "--out", dir.resolve("refused.eml")
                .toString());
        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("HTTP 422") && refused.err().contains("nobody." + run), refused::toString);
    }

    @Test
    void exitCodesSayUnreachableNotFoundAndRefusedWithoutStackTraces() {
        int dead = Ports.freePort();
        PkiCli.Run unreachable = pki.runAgainst(List.of("--ca-url", "http://127.0.0.1:" + dead), "ca", "list");
        assertEquals(2, unreachable.exitCode(), unreachable::toString);
        assertTrue(unreachable.err().contains("ca-service does not answer at http://127.0.0.1:" + dead)
                && unreachable.err().contains("./pki up"), unreachable::toString);

        PkiCli.Run unknownSerial = pki.run("revoke", "7fffffffffffffff01", "--reason", "keyCompromise");
        assertEquals(3, unknownSerial.exitCode(), unknownSerial::toString);

        PkiCli.Run unknownAddress = pki.run("lookup", "nobody." + run + "@example.com");
        assertEquals(3, unknownAddress.exitCode(), unknownAddress::toString);

        PkiCli.Run badAddress = pki.run("issue", "--ca", issuingId, "--email", "not-an-address");
        assertEquals(1, badAddress.exitCode(), badAddress::toString);
        assertTrue(badAddress.err().contains("HTTP 4"), badAddress::toString);

        for (PkiCli.Run failed : List.of(unreachable, unknownSerial, unknownAddress, badAddress)) {
            assertFalse(failed.err().contains("\tat ") || failed.err().contains("Exception"), failed::toString);
        }
    }

    /** keystore-service binds the certificate to the generated key when the issued event arrives. */
    private static void awaitExportable(String keyId, Path legacy, Path password) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        PkiCli.Run export;
        do {
            export = pki.run("export", keyId, "--profile", "legacy", "--out", legacy.toString(), "--password-file",
                    password.toString());
            if (export.exitCode() == 0 || !export.err().contains("no certificate yet")) {
                break;
            }
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        export.ok();
    }

    private static PkiCli.Run awaitPreferred(String mailbox) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        PkiCli.Run lookup = pki.run("lookup", mailbox);
        while (!lookup.out().contains("(preferred)") && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            lookup = pki.run("lookup", mailbox);
        }
        assertEquals(0, lookup.exitCode(), lookup::toString);
        assertTrue(lookup.out().contains("(preferred)"), lookup::toString);
        return lookup;
    }
}
