package dev.smimepki.keystore.pkcs12;

import static dev.smimepki.keystore.KeystoreApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.keystore.CertificateEvents;
import dev.smimepki.keystore.KeystoreApi;
import dev.smimepki.keystore.Tools;
import dev.smimepki.runtime.test.TestTokens;

/** PKCS#12 exports open in OpenSSL, NSS (Thunderbird) and gpgsm, with key, certificate and full chain. */
@QuarkusTest
class Pkcs12ExportTest {
    private static final String PASSWORD = "Correct horse battery 7";
    private static final String RSA_USER = "export.rsa@example.org";
    private static final String EC_USER = "export.ec@example.org";
    private static CertificateEvents events;
    private static EndEntity rsa;
    private static EndEntity ec;

    @Inject
    AgroalDataSource dataSource;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        events = new CertificateEvents();
    }

    @AfterAll
    static void disconnect() {
        events.close();
    }

    @BeforeEach
    void keys() {
        if (rsa == null) {
            rsa = KeystoreApi.generateAndBind(events, KeyAlgorithm.RSA_2048, RSA_USER);
            ec = KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P256, EC_USER);
        }
    }

    @ParameterizedTest
    @CsvSource({"modern, RSA", "legacy, RSA", "modern, EC", "legacy, EC"})
    void exportOpensInOpensslAndNssWithKeyCertificateAndChain(String profile, String type) throws Exception {
        EndEntity entity = "RSA".equals(type) ? rsa : ec;
        String owner = entity.certificate().emails().get(0);
        byte[] p12 = export(TestTokens.user(owner), KeystoreApi.keyIdOf(entity), PASSWORD, profile).statusCode(200)
                .contentType("application/x-pkcs12").extract().asByteArray();
        assertArrayEquals(p12, ASN1Primitive.fromByteArray(p12).getEncoded(ASN1Encoding.DER),
                "DER, never BER indefinite length");
        Path file = Files.write(dir.resolve("export.p12"), p12);
        boolean legacy = "legacy".equals(profile);

        String info = openssl(legacy, "pkcs12", "-info", "-noout", "-in", file.toString(), "-passin",
                "pass:" + PASSWORD);
        if (legacy) {
            assertTrue(info.contains("MAC: sha1, Iteration 20000"), info);
            assertTrue(info.contains("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 20000"), info);
            assertTrue(info.contains("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 20000"), info);
        } else {
            assertTrue(info.contains("MAC: sha256, Iteration 100000"), info);
            assertTrue(info.contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 100000,"
                    + " PRF hmacWithSHA256"), info);
            assertTrue(info.contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000,"
                    + " PRF hmacWithSHA256"), info);
        }
        assertNotEquals(0, OpenSsl.exec(withLegacy(legacy, "pkcs12", "-info", "-noout", "-in", file.toString(),
                "-passin", "pass:wrong password 1")).exitCode(), "a wrong password does not open it");

        String certificates = openssl(legacy, "pkcs12", "-in", file.toString(), "-passin", "pass:" + PASSWORD,
                "-nokeys");
        List<Certificate> found = Pem.parse(certificates).stream().map(block -> Certificate.of(block.der()))
                .toList();
        assertEquals(List.of(entity.certificate(), entity.chain().certificates().get(0),
                entity.chain().certificates().get(1)), found, "certificate and full chain");
        assertTrue(certificates.contains("friendlyName: " + owner + " ("), certificates);

        String keys = openssl(legacy, "pkcs12", "-in", file.toString(), "-passin", "pass:" + PASSWORD, "-nocerts",
                "-nodes");
        assertTrue(keys.contains("friendlyName: " + owner + " ("), keys);
        Path key = Files.writeString(dir.resolve("key.pem"), Pem.encode(PemType.PRIVATE_KEY,
                Pem.decodeAll(keys.substring(keys.indexOf("-----BEGIN PRIVATE KEY")), PemType.PRIVATE_KEY).get(0)));
        assertEquals(Pem.encode(PemType.PUBLIC_KEY, entity.certificate().publicKey().getEncoded()),
                OpenSsl.run("pkey", "-in", key.toString(), "-pubout"), "the key belongs to the certificate");

        // NSS, Thunderbird's library: a fresh database, then pk12util
        Path nss = Files.createDirectories(dir.resolve("nss"));
        Tools.run(null, "certutil", "-N", "-d", "sql:" + nss, "--empty-password");
        String imported = Tools.run(null, "pk12util", "-i", file.toString(), "-d", "sql:" + nss, "-W", PASSWORD);
        assertTrue(imported.contains("PKCS12 IMPORT SUCCESSFUL"), imported);
        String listed = Tools.run(null, "certutil", "-L", "-d", "sql:" + nss);
        assertTrue(listed.contains(owner + " (") && listed.contains("u,u,u"), listed);
        assertTrue(listed.lines().count() >= 6, "the certificate and both CA certificates: " + listed);
        String secretKeys = Tools.run(null, "certutil", "-K", "-d", "sql:" + nss);
        assertTrue(secretKeys.contains(owner + " ("), secretKeys);
    }

    @Test
    void gpgsmImportsTheLegacyProfileAndModernFromVersion244() throws Exception {
        for (String profile : List.of("legacy", "modern")) {
            byte[] p12 = export(TestTokens.user(RSA_USER), KeystoreApi.keyIdOf(rsa), PASSWORD, profile)
                    .statusCode(200).extract().asByteArray();
            Path file = Files.write(dir.resolve(profile + ".p12"), p12);
            Path home = Files.createDirectories(dir.resolve("gnupg-" + profile));
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            try {
                Tools.Result result = Tools.gpgsm(home, PASSWORD, "--import", file.toString());
                int[] version = Tools.gpgsmVersion();
                boolean readsPbes2Sha256 = version[0] > 2 || (version[0] == 2 && (version[1] > 4
                        || (version[1] == 4 && version[2] >= 4)));
                if ("legacy".equals(profile) || readsPbes2Sha256) {
                    assertEquals(0, result.exitCode(), result.output());
                    assertTrue(result.output().contains("secret keys imported: 1"), result.output());
                    String secret = Tools.gpgsm(home, "", "--list-secret-keys").output();
                    assertTrue(secret.contains(RSA_USER), secret);
                    String all = Tools.gpgsm(home, "", "--list-keys").output();
                    assertTrue(all.contains("smime-pki Test Issuing CA") && all.contains("smime-pki Test Root CA"),
                            "chain imported: " + all);
                } else {
                    // DOMAIN.md: gpgsm 2.2 cannot read PBES2 with HMAC-SHA256; hence the legacy profile
                    assertNotEquals(0, result.exitCode(), result.output());
                }
            } finally {
                Tools.stopGpgAgent(home);
            }
        }
    }

    @Test
    void aUserCannotExportAnotherMailboxsKeyNorCanAService() {
        String keyId = KeystoreApi.keyIdOf(rsa);
        export(TestTokens.user("someone.else@example.org"), keyId, PASSWORD, "modern").statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("not-owner"));
        export(TestTokens.user("Export.rsa@example.org"), keyId, PASSWORD, "modern").statusCode(403);
        export(TestTokens.service(), keyId, PASSWORD, "modern").statusCode(403);
        export(TestTokens.admin(), keyId, PASSWORD, "legacy").statusCode(200);
        export(TestTokens.user("export.rsa@EXAMPLE.org"), keyId, PASSWORD, "modern").statusCode(200);
    }

    @Test
    void weakPasswordsUnknownProfilesAndKeysWithoutCertificateAreRefused() throws Exception {
        String keyId = KeystoreApi.keyIdOf(ec);
        long before = exports(keyId);
        for (String weak : List.of("", "   ", "short1!", "aaaaaaaaaaaaaaaa", "abababababababab")) {
            export(TestTokens.user(EC_USER), keyId, weak, "modern").statusCode(422)
                    .contentType("application/problem+json").body("code", equalTo("weak-password"));
        }
        as(TestTokens.user(EC_USER)).contentType(ContentType.JSON).body(Map.of("profile", "modern"))
                .post("/api/v1/keys/" + keyId + "/pkcs12").then().statusCode(422).body("code",
                        equalTo("weak-password"));
        export(TestTokens.user(EC_USER), keyId, PASSWORD, "ancient").statusCode(400)
                .contentType("application/problem+json");
        export(TestTokens.admin(), UUID.randomUUID().toString(), PASSWORD, "modern").statusCode(404)
                .body("code", equalTo("unknown-key"));
        KeystoreApi.Generated pending = KeystoreApi.generate(KeyAlgorithm.EC_P256, EC_USER);
        export(TestTokens.user(EC_USER), pending.keyId(), PASSWORD, "modern").statusCode(409)
                .body("code", equalTo("no-certificate"));
        assertEquals(before, exports(keyId), "refused exports are not exports");

        // a password without a profile: modern; and each export is audited, without the password
        export(TestTokens.user(EC_USER), keyId, PASSWORD, null).statusCode(200);
        assertEquals(before + 1, exports(keyId));
        assertEquals(0, count("select count(*) from audit_chain where detail like ?", "%" + PASSWORD + "%"));
    }

    private static ValidatableResponse export(String token, String keyId, String password, String profile) {
        Map<String, String> body = new HashMap<>();
        body.put("password", password);
        if (profile != null) {
            body.put("profile", profile);
        }
        return as(token).contentType(ContentType.JSON).body(body).post("/api/v1/keys/" + keyId + "/pkcs12").then();
    }

    private static String openssl(boolean legacy, String... args) {
        return OpenSsl.run(withLegacy(legacy, args));
    }

    private static String[] withLegacy(boolean legacy, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (legacy) {
            all.add("-legacy");
        }
        return all.toArray(String[]::new);
    }

    private long exports(String keyId) throws Exception {
        return count("select count(*) from audit_chain where action = 'KEY_EXPORTED' and target = ?", keyId);
    }

    private long count(String sql, String parameter) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
