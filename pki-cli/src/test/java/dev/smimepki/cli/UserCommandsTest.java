package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.infra.Ports;

/** Argument handling, exit codes and messages of the user commands, against a stand-in service where one is needed. */
class UserCommandsTest {

    @TempDir
    Path root;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private HttpServer server;
    private final AtomicReference<String> lastRequest = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void helpListsTheUserCommands() {
        assertEquals(ExitCode.OK, run(List.of(), "--help"));
        for (String command : List.of("demo", "ca", "issue", "revoke", "crl", "export", "keys", "lookup", "sign",
                "encrypt", "decrypt", "verify", "PKI_CA_URL")) {
            assertTrue(out.toString().contains(command), () -> "help lacks " + command + ":\n" + out);
        }
        assertFalse(out.toString().contains("--ca-url"), "the test-only options stay hidden");
    }

    @Test
    void missingRequiredOptionsAreUsageErrors() {
        assertEquals(ExitCode.ERROR, run(List.of(), "issue", "--ca", "x"));
        assertTrue(err.toString().contains("--email"), err::toString);
        assertEquals(ExitCode.ERROR, run(List.of(), "revoke", "01"));
        assertTrue(err.toString().contains("--reason"), err::toString);
        assertEquals(ExitCode.ERROR, run(List.of(), "ca"));
        assertTrue(err.toString().contains("create, list or import"), err::toString);
    }

    @Test
    void badChoicesAreRefusedBeforeAnyServiceIsAsked() throws IOException {
        Path password = Files.writeString(root.resolve("pw"), "Secret-Pass-1\n");
        assertEquals(ExitCode.ERROR, run(deadServices(), "export", "k", "--profile", "ancient", "--out", root
                .resolve("x.p12").toString(), "--password-file", password.toString()));
        assertTrue(err.toString().contains("--profile must be modern or legacy"), err::toString);
        assertEquals(ExitCode.ERROR, run(deadServices(), "sign", "--mode", "sideways", "--in", password
                .toString()));
        assertTrue(err.toString().contains("--mode must be detached or opaque"), err::toString);
    }

    @Test
    void anUnreachableServiceIsNamedWithHowToStartIt() {
        List<String> dead = deadServices();
        assertEquals(ExitCode.UNREACHABLE, run(dead, "crl", "00000000-0000-0000-0000-000000000000"));
        assertTrue(err.toString().contains("ca-service does not answer at " + dead.get(1)), err::toString);
        assertTrue(err.toString().contains("./pki up starts the platform"), err::toString);
        assertFalse(err.toString().contains("Exception"), err::toString);
    }

    @Test
    void withoutLocalSecretsATokenMustBeGiven() {
        assertEquals(ExitCode.ERROR, run(deadServices(), "ca", "list"));
        assertTrue(err.toString().contains("no token: pass --token or set PKI_TOKEN"), err::toString);
    }

    @Test
    void theServicesProblemDetailIsPrintedWithExitCodeThree() throws IOException {
        String url = stubService(404, "application/problem+json", "{\"status\":404,\"title\":\"Not Found\","
                + "\"detail\":\"no certificate has serial 0abc\"}");
        assertEquals(ExitCode.NOT_FOUND, run(List.of("--ca-url", url), "revoke", "0abc", "--reason",
                "keyCompromise", "--token", "t"));
        assertEquals("pki: ca-service refused to revoke 0abc (HTTP 404): no certificate has serial 0abc",
                err.toString().strip());
        assertTrue(lastRequest.get().startsWith("POST /api/v1/certificates/0abc/revoke Bearer t"), lastRequest::get);
        assertTrue(lastRequest.get().endsWith("{\"reason\":\"keyCompromise\"}"), lastRequest::get);
    }

    @Test
    void issueSendsTheApiFieldsAndWritesCertificateAndChain() throws IOException {
        String url = stubService(201, "application/json", "{\"serial\":\"0a1b\",\"certificatePem\":\"CERT\","
                + "\"chainPem\":\"CHAIN\",\"fingerprintSha256\":\"ff\",\"emails\":[\"a@x.org\",\"b@x.org\"],"
                + "\"profile\":\"multipurpose\",\"notBefore\":\"2026-01-01T00:00:00Z\",\"notAfter\":"
                + "\"2027-01-01T00:00:00Z\",\"keyId\":\"k1\"}");
        Path dir = root.resolve("issued");
        assertEquals(ExitCode.OK, run(List.of("--ca-url", url), "issue", "--ca", "c1", "--email", "a@x.org",
                "--email", "b@x.org", "--usage", "signing", "--out", dir.toString(), "--token", "t"));
        assertTrue(lastRequest.get().endsWith("{\"caId\":\"c1\",\"emails\":[\"a@x.org\",\"b@x.org\"],\"usage\":"
                + "\"signing\"}"), lastRequest::get);
        assertEquals("CERT", Files.readString(dir.resolve("cert.pem")));
        assertEquals("CHAIN", Files.readString(dir.resolve("chain.pem")));
        assertTrue(out.toString().contains("serial:  0a1b"), out::toString);
        assertTrue(out.toString().contains("pki export k1"), out::toString);
    }

    @Test
    void lookupOfAnUnknownAddressExitsThreeWithTheReason() throws IOException {
        String url = stubService(200, "application/json", "{\"email\":\"x@y.org\",\"preferred\":null,\"reason\":"
                + "\"no certificate is known for this address\",\"certificates\":[]}");
        assertEquals(ExitCode.NOT_FOUND, run(List.of("--directory-url", url), "lookup", "x@y.org"));
        assertEquals("x@y.org: no certificate to encrypt to (no certificate is known for this address)", out
                .toString().strip());
        assertTrue(lastRequest.get().startsWith("GET /api/v1/directory/x%40y.org -"), lastRequest::get);
    }

    @Test
    void aDemoStepWhoseFeatureIsMissingSaysWhichStepFailedAndWhy() throws IOException {
        LocalSecrets.loadOrCreate(new PlatformHome(root).stateDir().resolve("secrets.env"));
        String url = stubService(501, "text/plain", "Not Implemented");
        List<String> urls = List.of("--ca-url", url, "--keystore-url", url, "--crypto-url", url, "--directory-url",
                url);
        assertEquals(ExitCode.ERROR, run(urls, "demo", "--out", root.resolve("out").toString()));
        assertTrue(out.toString().contains("[ 1] Create a root CA"), out::toString);
        assertTrue(err.toString().startsWith("pki: demo step 1 (Create a root CA) failed: ca-service refused to create"
                + " CA Demo Root"), err::toString);
        assertTrue(err.toString().contains("HTTP 501") && err.toString().contains("does not offer it"),
                err::toString);
        assertFalse(out.toString().contains("starting it"), "given URLs: the demo starts nothing");
    }

    @Test
    void theDemosCsrIsSignedByItsKeyAndItsPkcs12OpensWithThePassword() throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.EC_P256);
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(Pem.decodeOne(DemoStory.csr(keys, "Bob"),
                PemType.CERTIFICATE_REQUEST));
        assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic())));
        assertEquals("CN=Bob", csr.getSubject().toString());
    }

    @Test
    void bobsLocalPkcs12HoldsHisKeyUnderThePassword() throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.EC_P256);
        X509CertificateHolder self = new X509v3CertificateBuilder(
                new X500Name("CN=Bob"), BigInteger.TEN, new Date(),
                new Date(System.currentTimeMillis() + 86_400_000L), new X500Name(
                        "CN=Bob"),
                SubjectPublicKeyInfo.getInstance(keys.getPublic()
                        .getEncoded()))
                .build(new JcaContentSignerBuilder(
                        KeyAlgorithm.EC_P256.signatureAlgorithm()).build(keys.getPrivate()));
        byte[] pkcs12 = DemoStory.localPkcs12(keys, List.of(Pem.encode(PemType.CERTIFICATE, self.getEncoded())),
                "Correct-Horse-9");
        KeyStore store = KeyStore.getInstance(AlgorithmPolicy.PKCS12_KEY_STORE);
        store.load(new ByteArrayInputStream(pkcs12), "Correct-Horse-9".toCharArray());
        assertEquals(keys.getPrivate(), store.getKey("bob demo", "Correct-Horse-9".toCharArray()));
    }

    private List<String> deadServices() {
        int port = Ports.freePort();
        return List.of("--ca-url", "http://127.0.0.1:" + port, "--keystore-url", "http://127.0.0.1:" + port,
                "--crypto-url", "http://127.0.0.1:" + port, "--directory-url", "http://127.0.0.1:" + port);
    }

    /** A one-answer stand-in service that records "METHOD path token body" of the last request. */
    private String stubService(int status, String contentType, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            lastRequest.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + (authorization == null ? "-" : authorization) + " " + new String(exchange.getRequestBody()
                            .readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private int run(List<String> urls, String... args) {
        return StubServices.run(root, out, err, urls, args);
    }

}
