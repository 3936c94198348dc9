package dev.smimepki.keystore.pkcs12;

import static dev.smimepki.keystore.KeystoreApi.as;
import static dev.smimepki.keystore.KeystoreApi.service;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.runtime.test.OversizedBodies;
import dev.smimepki.runtime.test.TestTokens;

/** PKCS#12 files made by openssl import; every refusal is a clear problem and leaves nothing stored. */
@QuarkusTest
class Pkcs12ImportTest {
    private static final String PASSWORD = "Import password 42";

    @Inject
    AgroalDataSource dataSource;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"RSA_2048, modern, chain", "RSA_3072, legacy, chain", "EC_P256, modern, no-chain",
            "EC_P384, legacy, no-chain", "RSA_2048, legacy, no-chain"})
    void opensslPkcs12Imports(KeyAlgorithm algorithm, String profile, String chain) throws Exception {
        String mailbox = "import." + algorithm.name().toLowerCase() + "." + profile + "." + chain + "@example.org";
        EndEntity entity = TestPki.shared().issue(EndEntitySpec.forEmails(mailbox).keyAlgorithm(algorithm));
        Path file = opensslPkcs12(entity, profile, "chain".equals(chain));

        ValidatableResponse response = importFile(TestTokens.user(mailbox), file, PASSWORD).statusCode(201)
                .body("emails", equalTo(List.of(mailbox)))
                .body("fingerprintSha256", equalTo(entity.certificate().fingerprintSha256()));
        String keyId = response.extract().path("keyId");

        // the certificate and chain are bound: crypto-service finds them, and the key signs for them
        service().get("/internal/v1/keys/signing?email=" + mailbox).then().statusCode(200)
                .body("keyId", equalTo(keyId))
                .body("certificatePem", equalTo(entity.certificate().pem()))
                .body("chainPem", equalTo("chain".equals(chain) ? entity.chain().pem() : ""));
        byte[] message = "signed after import".getBytes(StandardCharsets.UTF_8);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
        String scheme = algorithm.isRsa() ? "RSA_PKCS1" : "ECDSA";
        byte[] signature = Base64.getDecoder().decode(service().contentType(ContentType.JSON)
                .body(Map.of("scheme", scheme, "digestAlgorithm", "SHA_256", "digest",
                        Base64.getEncoder().encodeToString(digest)))
                .post("/internal/v1/keys/" + keyId + "/sign").then().statusCode(200).extract()
                .<String>path("signature"));
        Signature verifier = Signature.getInstance(algorithm.isRsa() ? "SHA256withRSA" : "SHA256withECDSA",
                BouncyCastle.provider());
        verifier.initVerify(entity.certificate().publicKey());
        verifier.update(message);
        assertTrue(verifier.verify(signature), "the imported key is the certificate's key");

        // the same key again is a conflict, not a second copy
        importFile(TestTokens.user(mailbox), file, PASSWORD).statusCode(409).body("code", equalTo("key-exists"));
    }

    /** A client streaming the upload (no Content-Length) gets the same import; the parsed file does not stay. */
    @Test
    void aPkcs12SentChunkedImports() throws Exception {
        String mailbox = "chunked.import@example.org";
        EndEntity entity = TestPki.shared().issue(mailbox);
        byte[] upload = OversizedBodies.pkcs12Upload(Files.readAllBytes(opensslPkcs12(entity, "modern", true)),
                PASSWORD);
        Path uploads = Path.of(System.getProperty("java.io.tmpdir"), "uploads");
        Set<Path> before = listing(uploads);

        HttpResponse<String> imported = OversizedBodies.postChunked("/api/v1/keys/import", TestTokens.user(mailbox),
                "multipart/form-data; boundary=" + OversizedBodies.BOUNDARY, upload);

        assertEquals(201, imported.statusCode(), imported.body());
        assertTrue(imported.body().contains(entity.certificate().fingerprintSha256()), imported.body());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!before.containsAll(listing(uploads)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Set<Path> left = listing(uploads);
        left.removeAll(before);
        assertEquals(Set.of(), left, "the parsed upload is deleted after the response");
    }

    private static Set<Path> listing(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return new HashSet<>();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.collect(Collectors.toCollection(HashSet::new));
        }
    }

    @Test
    void refusalsAreClearAndStoreNothing() throws Exception {
        String mailbox = "refused.import@example.org";
        EndEntity entity = TestPki.shared().issue(mailbox);
        Path good = opensslPkcs12(entity, "modern", true);
        Path legacy = opensslPkcs12(entity, "legacy", true);
        long keys = rows("stored_key");
        long audits = rows("audit_chain");

        importFile(TestTokens.user(mailbox), good, "wrong password").statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("pkcs12-wrong-password"));
        importFile(TestTokens.user(mailbox), legacy, "wrong password").statusCode(422)
                .body("code", equalTo("pkcs12-wrong-password"));
        importFile(TestTokens.user(mailbox), good, "").statusCode(422).body("code", equalTo("pkcs12-wrong-password"));

        byte[] random = new byte[600];
        new SecureRandom().nextBytes(random);
        importFile(TestTokens.user(mailbox), Files.write(dir.resolve("random.p12"), random), PASSWORD)
                .statusCode(400).body("code", equalTo("pkcs12-malformed"));
        // found by fuzzing: an empty file was a 500 (NullPointerException inside BouncyCastle)
        importFile(TestTokens.user(mailbox), Files.write(dir.resolve("empty.p12"), new byte[0]), PASSWORD)
                .statusCode(400).body("code", equalTo("pkcs12-malformed"));
        // a MAC asking for 2^31-1 key-derivation iterations would hold the request for hours
        importFile(TestTokens.user(mailbox), Files.write(dir.resolve("iterations.p12"), endlessMac()), PASSWORD)
                .statusCode(422).body("code", equalTo("pkcs12-too-many-iterations"));
        byte[] whole = Files.readAllBytes(good);
        importFile(TestTokens.user(mailbox), Files.write(dir.resolve("truncated.p12"),
                Arrays.copyOf(whole, whole.length / 2)), PASSWORD).statusCode(400)
                .body("code", equalTo("pkcs12-malformed"));
        byte[] flipped = whole.clone();
        flipped[flipped.length / 2] ^= 0x01;
        ValidatableResponse damaged = importFile(TestTokens.user(mailbox), Files.write(dir.resolve("flipped.p12"),
                flipped), PASSWORD);
        int status = damaged.extract().statusCode();
        assertTrue(status == 400 || status == 422, "a damaged file is a client error, not " + status);
        damaged.contentType("application/problem+json");

        // the key of one certificate with another certificate
        EndEntity other = TestPki.shared().issue(mailbox);
        byte[] mismatched = Pkcs12Writer.write(new Pkcs12Contents(PrivateKeyInfo.getInstance(
                other.privateKey().getEncoded()), entity.certificate(), entity.chain()), "mismatch",
                ExportProfile.modern, 2048, PASSWORD.toCharArray());
        importFile(TestTokens.user(mailbox), Files.write(dir.resolve("mismatch.p12"), mismatched), PASSWORD)
                .statusCode(422).body("code", equalTo("pkcs12-key-mismatch"));

        // a CA's key with its certificate: said as such (it read "no certificate ... belongs to its private key")
        Path caKey = dir.resolve("ca.key");
        Path caCert = dir.resolve("ca.pem");
        OpenSsl.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                caKey.toString(), "-out", caCert.toString(), "-subj", "/CN=Some CA", "-days", "30", "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Path caP12 = dir.resolve("ca.p12");
        OpenSsl.run("pkcs12", "-export", "-inkey", caKey.toString(), "-in", caCert.toString(), "-passout",
                "pass:" + PASSWORD, "-out", caP12.toString());
        importFile(TestTokens.user(mailbox), caP12, PASSWORD).statusCode(422)
                .body("code", equalTo("pkcs12-key-mismatch")).body("detail", containsString("CA certificate"));

        // certificates only
        Path files = dir.resolve("certs-only");
        EndEntity.PemFiles pem = entity.writeTo(files, "entity");
        Path certsOnly = dir.resolve("certs-only.p12");
        OpenSsl.run("pkcs12", "-export", "-nokeys", "-in", pem.certificate().toString(), "-passout",
                "pass:" + PASSWORD, "-out", certsOnly.toString());
        importFile(TestTokens.user(mailbox), certsOnly, PASSWORD).statusCode(422)
                .body("code", equalTo("pkcs12-no-key"));

        // another mailbox's certificate, for a user
        importFile(TestTokens.user("not.the.owner@example.org"), good, PASSWORD).statusCode(403)
                .body("code", equalTo("not-owner"));
        // a key the policy refuses (RSA-1024)
        EndEntity weak = TestPki.shared().issue(EndEntitySpec.forEmails(mailbox).keyPair(TestPki.rsaKeyPair(1024,
                BigInteger.valueOf(65537))));
        importFile(TestTokens.admin(), opensslPkcs12(weak, "modern", false), PASSWORD).statusCode(422)
                .body("code", equalTo("policy-violation"));
        // no file at all
        as(TestTokens.admin()).multiPart("password", PASSWORD).post("/api/v1/keys/import").then().statusCode(400);
        // services do not import
        importFile(TestTokens.service(), good, PASSWORD).statusCode(403);

        assertEquals(keys, rows("stored_key"), "nothing stored");
        assertEquals(audits, rows("audit_chain"), "nothing audited as imported");
        assertEquals(0, rows("key_certificate where fingerprint_sha256 = '"
                + entity.certificate().fingerprintSha256() + "'"));

        // and the good file, with the right password, by an admin, does import
        importFile(TestTokens.admin(), good, PASSWORD).statusCode(201);
        assertEquals(keys + 1, rows("stored_key"));
    }

    private Path opensslPkcs12(EndEntity entity, String profile, boolean withChain) {
        EndEntity.PemFiles pem = entity.writeTo(dir.resolve("pem-" + System.nanoTime()), "entity");
        Path out = dir.resolve("openssl-" + System.nanoTime() + ".p12");
        List<String> args = new ArrayList<>(List.of("pkcs12", "-export", "-inkey", pem.privateKey().toString(),
                "-in", pem.certificate().toString(), "-name", "Imported identity", "-passout", "pass:" + PASSWORD,
                "-out", out.toString()));
        if (withChain) {
            args.addAll(List.of("-certfile", pem.chain().toString()));
        }
        if ("legacy".equals(profile)) {
            args.add("-legacy");
        }
        OpenSsl.run(args.toArray(String[]::new));
        String info = OpenSsl.run("pkcs12", "-info", "-noout", "-legacy", "-in", out.toString(), "-passin",
                "pass:" + PASSWORD);
        assertTrue(info.contains("legacy".equals(profile) ? "pbeWithSHA1And40BitRC2-CBC" : "AES-256-CBC"), info);
        return out;
    }

    /** A PFX of no bags whose SHA-256 MAC claims Integer.MAX_VALUE iterations. */
    private static byte[] endlessMac() throws Exception {
        ContentInfo noBags = new ContentInfo(PKCSObjectIdentifiers.data,
                new DEROctetString(new DERSequence().getEncoded()));
        MacData mac = new MacData(new DigestInfo(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256,
                DERNull.INSTANCE), new byte[32]), new byte[8], Integer.MAX_VALUE);
        return new Pfx(noBags, mac).getEncoded();
    }

    private static ValidatableResponse importFile(String token, Path file, String password) {
        return as(token).multiPart("pkcs12", file.toFile(), "application/x-pkcs12").multiPart("password", password)
                .post("/api/v1/keys/import").then();
    }

    private long rows(String table) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
