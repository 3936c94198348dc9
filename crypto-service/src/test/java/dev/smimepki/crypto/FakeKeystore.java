package dev.smimepki.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cms.CMSAlgorithm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.TestDirectories;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.crypto.keys.DigestAlgorithm;
import dev.smimepki.crypto.keys.RecipientKey;
import dev.smimepki.crypto.keys.SignatureScheme;
import dev.smimepki.crypto.keys.SigningKey;
import dev.smimepki.crypto.keys.TestPkiKeys;
import dev.smimepki.runtime.problem.ProblemException;

/**
 * A stand-in for keystore-service's internal API on a real HTTP port, backed by {@link TestPkiKeys}, so that the
 * service's REST client, service token and error mapping are exercised. It also writes the test PKI's root as the
 * service's trust anchor file and the keys of its mailboxes, for tests that sign or decrypt with openssl. The same port
 * serves a {@link FakeDirectory} listing these mailboxes' certificates.
 */
public class FakeKeystore implements QuarkusTestResourceLifecycleManager {
    /** RSA-2048 signer. */
    public static final String ALICE = "alice@example.com";
    /** EC P-256 signer. */
    public static final String ERIN = "erin@example.com";
    /** RSA-2048; announces AES-256-GCM in the directory. */
    public static final String GINA = "gina@example.com";
    /** EC P-256; announces AES-256-GCM in the directory. */
    public static final String GUS = "gus@example.com";
    /** In the directory with a revoked certificate only. */
    public static final String REVOKED = "revoked@example.com";
    /** In the directory with an expired certificate only. */
    public static final String EXPIRED = "expired@example.com";
    /** Unknown to the directory. */
    public static final String NOBODY = "nobody@example.com";
    /**
     * Test config: directory holding root.pem and NAME.pem, NAME.key.pem, NAME.chain.pem for alice, erin, gina and
     * gus.
     */
    public static final String FILES = "test.fake-keystore.files";

    private final ObjectMapper json = new ObjectMapper();
    private final TestPkiKeys keys = new TestPkiKeys();
    private final FakeDirectory directory = new FakeDirectory();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            TestPki pki = TestPki.create();
            Path dir = TestDirectories.create("fake-keystore");
            Path root = Files.writeString(dir.resolve("root.pem"), pki.root().certificate().pem());
            List<String> gcm = List.of(CMSAlgorithm.AES256_GCM.getId(), CMSAlgorithm.AES256_CBC.getId());
            List<String> cbc = List.of(CMSAlgorithm.AES256_CBC.getId(), CMSAlgorithm.AES128_CBC.getId());
            hold(pki, dir, ALICE, KeyAlgorithm.RSA_2048, cbc);
            hold(pki, dir, ERIN, KeyAlgorithm.EC_P256, null);
            hold(pki, dir, GINA, KeyAlgorithm.RSA_2048, gcm);
            hold(pki, dir, GUS, KeyAlgorithm.EC_P256, gcm);
            directory.unusable(REVOKED, pki.issue(EndEntitySpec.forEmails(REVOKED)).certificate(), "revoked",
                    "revoked (keyCompromise) on 2025-11-30T10:00:00Z");
            EndEntity expired = pki.issue(EndEntitySpec.forEmails(EXPIRED).expired());
            directory.unusable(EXPIRED, expired.certificate(), "expired",
                    "expired on " + expired.certificate().notAfter());

            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/internal/v1/keys", this::handle);
            directory.register(server);
            server.start();
            Map<String, String> config = new HashMap<>();
            config.put("pki.keystore.url", "http://127.0.0.1:" + server.getAddress().getPort());
            config.put("pki.directory.url", "http://127.0.0.1:" + server.getAddress().getPort());
            config.put("pki.crypto.trust-anchors", root.toString());
            config.put("pki.crypto.max-message-size", String.valueOf(8 * 1024 * 1024));
            // above the message limit, so that the service's own 413 (problem+json) is what a test sees
            config.put("quarkus.http.limits.max-body-size", "64M");
            config.put(FILES, dir.toString());
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Holds the key, writes its files and lists the certificate in the directory. */
    private void hold(TestPki pki, Path dir, String email, KeyAlgorithm algorithm, List<String> capabilities) {
        EndEntity entity = pki.issue(EndEntitySpec.forEmails(email).keyAlgorithm(algorithm));
        keys.add(entity);
        entity.writeTo(dir, email.substring(0, email.indexOf('@')));
        directory.usable(email, entity.certificate(), capabilities);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ey")) {
                respond(exchange, 401, Map.of("status", 401, "detail", "bearer token required"));
                return;
            }
            String path = exchange.getRequestURI().getPath().substring("/internal/v1/keys".length());
            try {
                if (path.equals("/signing")) {
                    String email = exchange.getRequestURI().getQuery().replaceFirst("^email=", "")
                            .replace("%40", "@");
                    SigningKey key = keys.signingKeyFor(EmailAddress.parse(email));
                    respond(exchange, 200, Map.of("keyId", key.keyId(), "keyAlgorithm",
                            KeyAlgorithm.of(key.certificate().publicKey()).name(), "certificatePem",
                            key.certificate().pem(), "chainPem", key.chain().pem()));
                } else if (path.endsWith("/sign")) {
                    JsonNode request = json.readTree(read(exchange.getRequestBody()));
                    String keyId = path.substring(1, path.length() - "/sign".length());
                    byte[] signature = keys.sign(keyId, SignatureScheme.valueOf(request.get("scheme").asText()),
                            DigestAlgorithm.valueOf(request.get("digestAlgorithm").asText()),
                            Base64.getDecoder().decode(request.get("digest").asText()));
                    respond(exchange, 200, Map.of("signature", Base64.getEncoder().encodeToString(signature)));
                } else if (path.equals("/find")) {
                    JsonNode request = json.readTree(read(exchange.getRequestBody()));
                    Optional<RecipientKey> key = request.hasNonNull("subjectKeyIdentifier")
                            ? keys.findBySubjectKeyIdentifier(
                                    Base64.getDecoder().decode(request.get("subjectKeyIdentifier").asText()))
                            : keys.findByIssuerAndSerial(
                                    X500Name.getInstance(Base64.getDecoder().decode(request.get("issuer").asText())),
                                    new BigInteger(request.get("serialNumber").asText(), 16));
                    if (key.isEmpty()) {
                        respond(exchange, 404, Map.of("status", 404, "code", "no-matching-key", "detail",
                                "no key for this recipient"));
                    } else {
                        respond(exchange, 200, Map.of("keyId", key.get().keyId(), "certificatePem",
                                key.get().certificate().pem()));
                    }
                } else if (path.endsWith("/decrypt")) {
                    JsonNode request = json.readTree(read(exchange.getRequestBody()));
                    String keyId = path.substring(1, path.length() - "/decrypt".length());
                    byte[] cek = keys.contentEncryptionKey(keyId,
                            Base64.getDecoder().decode(request.get("recipientInfo").asText()),
                            Base64.getDecoder().decode(request.get("contentEncryptionAlgorithm").asText()));
                    respond(exchange, 200, Map.of("contentEncryptionKey", Base64.getEncoder().encodeToString(cek)));
                } else {
                    respond(exchange, 404, Map.of("status", 404, "detail", "no such operation in the fake"));
                }
            } catch (ProblemException e) {
                int status = e.code().equals("no-signing-key") ? 404 : e.kind().status();
                respond(exchange, status, Map.of("status", status, "code", e.code(), "detail", e.getMessage()));
            }
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", status >= 400
                ? "application/problem+json"
                : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
