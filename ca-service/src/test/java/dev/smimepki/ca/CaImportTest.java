package dev.smimepki.ca;

import static dev.smimepki.ca.CaApi.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.KeyUsage;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.runtime.test.TableRows;
import dev.smimepki.runtime.test.TestTokens;

/** {@code POST /api/v1/cas/import}: CAs brought in from PKCS#12 files made by openssl, and every refusal. */
@QuarkusTest
class CaImportTest {
    private static final List<String> TABLES = List.of("certificate_authority", "serial_number", "crl",
            "audit_chain", "outbox_event");
    private static final String PASSWORD = "import-Secret-1";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AgroalDataSource dataSource;

    @TempDir
    Path dir;

    @Test
    void importsARootFromAModernPkcs12AndItsIssuingCaBelowIt() {
        TestPki pki = TestPki.create(KeyAlgorithm.RSA_2048);
        TestPki.PemFiles pem = pki.writeTo(dir);
        Path rootP12 = export("root.p12", pem.root(), pem.rootKey(), null, false);
        String modernInfo = OpenSsl.run("pkcs12", "-info", "-noout", "-in", rootP12.toString(), "-passin",
                "pass:" + PASSWORD);
        assertTrue(modernInfo.contains("PBES2") && modernInfo.contains("AES-256-CBC"), modernInfo);

        Map<String, Long> before = counts();
        JsonPath root = importCa(rootP12, PASSWORD, "Imported Root").statusCode(201)
                .header("Location", containsString("/api/v1/cas/"))
                .body("name", equalTo("Imported Root"))
                .body("keyAlgorithm", equalTo("RSA_2048"))
                .body("issuerCaId", nullValue())
                .body("fingerprintSha256", equalTo(pki.root().certificate().fingerprintSha256()))
                .body("serial", equalTo(pki.root().certificate().serialHex()))
                .body("subject", equalTo(pki.root().certificate().subject()))
                .body(not(containsString("PRIVATE")))
                .extract().jsonPath();
        String rootId = root.getString("id");
        assertEquals(pki.root().certificate(), Certificate.fromPem(root.getString("certificatePem")));
        assertEquals(Instant.parse(root.getString("notAfter")), pki.root().certificate().notAfter());
        Map<String, Long> after = counts();
        assertEquals(before.get("certificate_authority") + 1, after.get("certificate_authority"));
        assertEquals(before.get("crl") + 1, after.get("crl"), "first CRL published");
        assertEquals(before.get("serial_number") + 1, after.get("serial_number"), "root serial reserved");
        assertEquals(before.get("audit_chain") + 1, after.get("audit_chain"));
        assertSealed(rootId, pki.root().privateKey());

        String chain = asAdmin().get("/api/v1/cas/" + rootId + "/chain").then().statusCode(200).extract().asString();
        assertEquals(List.of(pki.root().certificate()), certificates(chain));
        Path crl = CaApi.write(dir, "root.crl", asAdmin().get("/crl/" + rootId).then().statusCode(200)
                .contentType("application/pkix-crl").extract().asByteArray());
        String crlText = OpenSsl.run("crl", "-inform", "DER", "-in", crl.toString(), "-CAfile", pem.root().toString(),
                "-noout");
        assertTrue(crlText.contains("verify OK"), crlText);

        // A root without pathLenConstraint may certify CAs: create one under it with the ordinary API.
        JsonPath created = CaApi.createCa("Under imported root", "CN=Created under imported root,O=smime-pki tests",
                KeyAlgorithm.EC_P256, rootId, 365);
        Path createdPem = CaApi.write(dir, "created.pem", created.getString("certificatePem"));
        String verified = OpenSsl.run("verify", "-x509_strict", "-CAfile", pem.root().toString(),
                createdPem.toString());
        assertTrue(verified.contains(": OK"), verified);

        // Its issuing CA, legacy PKCS#12 without the chain: the root is found in the database as its issuer.
        Path issuingP12 = export("issuing.p12", pem.issuingCa(), pem.issuingCaKey(), null, true);
        JsonPath issuing = importCa(issuingP12, PASSWORD, null).statusCode(201)
                .body("issuerCaId", equalTo(rootId))
                .body("name", equalTo("smime-pki Test Issuing CA"))
                .extract().jsonPath();
        String issuingChain = asAdmin().get("/api/v1/cas/" + issuing.getString("id") + "/chain").then()
                .statusCode(200).extract().asString();
        assertEquals(List.of(pki.issuingCa().certificate(), pki.root().certificate()), certificates(issuingChain));

        // pathLen 0 in the imported issuing CA's certificate: it certifies subscribers only.
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "subject", "CN=Below pathlen 0", "keyAlgorithm", "EC_P256",
                        "validityDays", 10, "issuerCaId", issuing.getString("id")))
                .post("/api/v1/cas").then().statusCode(422).body("code", equalTo("issuer-cannot-certify-cas"));

        // Importing the same root again is a conflict, and writes nothing.
        refused(409, "ca-exists", () -> importCa(rootP12, PASSWORD, null));
    }

    @Test
    void importsAnIssuingCaWithItsExternalRootFromALegacyPkcs12AndIssuesUnderIt() {
        TestPki pki = TestPki.create(KeyAlgorithm.EC_P256);
        TestPki.PemFiles pem = pki.writeTo(dir);
        Path p12 = export("issuing.p12", pem.issuingCa(), pem.issuingCaKey(), pem.root(), true);
        String legacyInfo = OpenSsl.run("pkcs12", "-info", "-legacy", "-noout", "-in", p12.toString(), "-passin",
                "pass:" + PASSWORD);
        assertTrue(legacyInfo.contains("pbeWithSHA1And"), legacyInfo);

        Map<String, Long> before = counts();
        JsonPath issuing = importCa(p12, PASSWORD, "Imported Issuing").statusCode(201)
                .body("issuerCaId", nullValue())
                .body("keyAlgorithm", equalTo("EC_P256"))
                .body("fingerprintSha256", equalTo(pki.issuingCa().certificate().fingerprintSha256()))
                .extract().jsonPath();
        String caId = issuing.getString("id");
        Map<String, Long> after = counts();
        assertEquals(before.get("certificate_authority") + 1, after.get("certificate_authority"),
                "the external root is kept in the chain, not imported as a CA");
        assertEquals(before.get("serial_number"), after.get("serial_number"),
                "the serial of an externally issued CA is not in this service's serial space");
        assertSealed(caId, pki.issuingCa().privateKey());

        String chain = asAdmin().get("/api/v1/cas/" + caId + "/chain").then().statusCode(200)
                .contentType("application/pem-certificate-chain").extract().asString();
        assertEquals(List.of(pki.issuingCa().certificate(), pki.root().certificate()), certificates(chain));

        // An RSA subscriber key: openssl's smimeencrypt purpose wants keyEncipherment, which EC keys do not get.
        CaApi.Issued issued = CaApi.issue(caId, KeyPairs.generate(KeyAlgorithm.RSA_2048), null, null,
                "imported.issuing@example.com");
        assertEquals(List.of(pki.issuingCa().certificate(), pki.root().certificate()),
                certificates(issued.chainPem()));
        Path cert = CaApi.write(dir, "subscriber.pem", issued.certificatePem());
        for (String purpose : List.of("smimesign", "smimeencrypt")) {
            OpenSsl.Result result = OpenSsl.exec("verify", "-x509_strict", "-purpose", purpose, "-CAfile",
                    pem.root().toString(), "-untrusted", pem.issuingCa().toString(), cert.toString());
            assertEquals(0, result.exitCode(), purpose + ": " + result.output());
            assertTrue(result.output().contains(": OK"), result.output());
        }
        Path crl = CaApi.write(dir, "issuing.crl", asAdmin().get("/crl/" + caId).then().statusCode(200)
                .extract().asByteArray());
        String crlText = OpenSsl.run("crl", "-inform", "DER", "-in", crl.toString(), "-CAfile",
                pem.issuingCa().toString(), "-noout");
        assertTrue(crlText.contains("verify OK"), crlText);

        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "subject", "CN=Below imported pathlen 0", "keyAlgorithm", "EC_P256",
                        "validityDays", 10, "issuerCaId", caId))
                .post("/api/v1/cas").then().statusCode(422).body("code", equalTo("issuer-cannot-certify-cas"));
    }

    @Test
    void anImportedIntermediateFollowsItsOwnPathLength() {
        Instant now = Instant.now();
        KeyPair rootKeys = KeyPairs.generate(KeyAlgorithm.EC_P384);
        X500Name rootName = new X500Name("CN=Path Root " + UUID.randomUUID() + ",O=smime-pki tests");
        byte[] root = caCertificate(rootName, rootKeys, rootName, rootKeys, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)), null, true);
        KeyPair intermediateKeys = KeyPairs.generate(KeyAlgorithm.EC_P256);
        byte[] intermediate = caCertificate(new X500Name("CN=Path Intermediate " + UUID.randomUUID()),
                intermediateKeys, rootName, rootKeys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1000)),
                1, true);
        Path p12 = export("intermediate.p12", pemFile("intermediate.pem", intermediate),
                keyFile("intermediate.key", intermediateKeys.getPrivate()), pemFile("path-root.pem", root), false);

        String id = importCa(p12, PASSWORD, null).statusCode(201).body("keyAlgorithm", equalTo("EC_P256"))
                .extract().path("id");
        // pathLen 1: one more CA level below it is allowed, and that one (pathLen 0, as made here) no further.
        JsonPath below = CaApi.createCa("Below pathlen 1", "CN=Below pathlen 1,O=smime-pki tests",
                KeyAlgorithm.EC_P256, id, 365);
        String chain = asAdmin().get("/api/v1/cas/" + below.getString("id") + "/chain").then().statusCode(200)
                .extract().asString();
        assertEquals(3, certificates(chain).size(), "created CA, imported intermediate, external root");
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "subject", "CN=Too deep", "keyAlgorithm", "EC_P256", "validityDays", 10,
                        "issuerCaId", below.getString("id")))
                .post("/api/v1/cas").then().statusCode(422).body("code", equalTo("issuer-cannot-certify-cas"));
    }

    @Test
    void refusalsAreProblemsAndWriteNothing() {
        TestPki pki = TestPki.create(KeyAlgorithm.EC_P256);
        TestPki.PemFiles pem = pki.writeTo(dir);
        Path good = export("good.p12", pem.issuingCa(), pem.issuingCaKey(), pem.root(), false);

        refused(422, "pkcs12-wrong-password", () -> importCa(good, "not the password", null));
        refused(422, "pkcs12-wrong-password", () -> importCa(good, "", null));
        Path legacy = export("legacy.p12", pem.issuingCa(), pem.issuingCaKey(), pem.root(), true);
        refused(422, "pkcs12-wrong-password", () -> importCa(legacy, "not the password", null));

        refused(400, "pkcs12-malformed", () -> importCa(pem.root(), PASSWORD, null));
        refused(400, "pkcs12-malformed", () -> importCa(CaApi.write(dir, "random.p12", random(2000)), PASSWORD, null));
        byte[] whole = read(good);
        refused(400, "pkcs12-malformed",
                () -> importCa(CaApi.write(dir, "truncated.p12", Arrays.copyOf(whole, whole.length / 2)), PASSWORD,
                        null));
        refused(400, "pkcs12-malformed", () -> importCa(CaApi.write(dir, "empty.p12", new byte[0]), PASSWORD, null));

        Path certificateOnly = dir.resolve("no-key.p12");
        OpenSsl.run("pkcs12", "-export", "-nokeys", "-in", pem.issuingCa().toString(), "-out",
                certificateOnly.toString(), "-passout", "pass:" + PASSWORD);
        refused(422, "pkcs12-no-private-key", () -> importCa(certificateOnly, PASSWORD, null));
        refused(422, "pkcs12-several-private-keys", () -> importCa(jdkPkcs12("several.p12",
                new KeyAndChain(pki.root().privateKey(), pki.root().certificate()),
                new KeyAndChain(pki.issuingCa().privateKey(), pki.issuingCa().certificate())), PASSWORD, null));
        refused(422, "key-certificate-mismatch", () -> importCa(jdkPkcs12("mismatch.p12",
                new KeyAndChain(KeyPairs.generate(KeyAlgorithm.EC_P256).getPrivate(), pki.issuingCa().certificate())),
                PASSWORD, null));
        refused(422, "key-certificate-mismatch", () -> importCa(jdkPkcs12("wrong-type.p12",
                new KeyAndChain(KeyPairs.generate(KeyAlgorithm.RSA_2048).getPrivate(), pki.issuingCa().certificate())),
                PASSWORD, null));

        EndEntity subscriber = pki.issue("not.a.ca@example.com");
        Path subscriberP12 = export("subscriber.p12", pemFile("subscriber.pem", subscriber.certificate().der()),
                keyFile("subscriber.key", subscriber.privateKey()), null, false);
        refused(422, "not-a-ca-certificate", () -> importCa(subscriberP12, PASSWORD, null))
                .body("errors.check", hasItems("basicConstraints.cA", "keyUsage.keyCertSign"));

        Instant now = Instant.now();
        refused(422, "policy-violation", () -> importCa(selfSignedP12("rsa1024",
                TestPki.rsaKeyPair(1024, RSAF4), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))),
                PASSWORD, null)).body("detail", containsString("2048"));
        refused(422, "policy-violation", () -> importCa(selfSignedP12("secp256k1",
                TestPki.ecKeyPair("secp256k1"), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))),
                PASSWORD, null)).body("detail", containsString("P-256"));
        refused(422, "ca-expired", () -> importCa(selfSignedP12("expired",
                KeyPairs.generate(KeyAlgorithm.EC_P256), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))),
                PASSWORD, null));

        // Not self-signed, its issuer is not here, and the file carries nothing above it.
        Path orphan = export("orphan.p12", pem.issuingCa(), pem.issuingCaKey(), null, false);
        refused(422, "issuer-unknown", () -> importCa(orphan, PASSWORD, null));
        // Another test PKI's root has the same name but did not sign this issuing CA: it is no issuer.
        Path foreignRoot = CaApi.write(dir, "foreign-root.pem", TestPki.create(KeyAlgorithm.EC_P256).root()
                .certificate().pem());
        Path foreignChain = export("foreign.p12", pem.issuingCa(), pem.issuingCaKey(), foreignRoot, false);
        refused(422, "issuer-unknown", () -> importCa(foreignChain, PASSWORD, null));
        // A chain that links, but through a root that has expired.
        KeyPair oldRootKeys = KeyPairs.generate(KeyAlgorithm.EC_P256);
        X500Name oldRootName = new X500Name("CN=Expired Root " + UUID.randomUUID() + ",O=smime-pki tests");
        byte[] oldRoot = caCertificate(oldRootName, oldRootKeys, oldRootName, oldRootKeys,
                now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1)), null, true);
        KeyPair underOldKeys = KeyPairs.generate(KeyAlgorithm.EC_P256);
        byte[] underOld = caCertificate(new X500Name("CN=Under expired root " + UUID.randomUUID()), underOldKeys,
                oldRootName, oldRootKeys, now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(30)), 0, true);
        Path expiredChain = export("expired-chain.p12", pemFile("under-old.pem", underOld),
                keyFile("under-old.key", underOldKeys.getPrivate()), pemFile("old-root.pem", oldRoot), false);
        refused(422, "pkcs12-chain-invalid", () -> importCa(expiredChain, PASSWORD, null))
                .body("errors.check", hasItem("chain.validity"));

        refused(400, "invalid-request", () -> asAdmin().multiPart("pkcs12", "good.p12", read(good),
                "application/x-pkcs12").post("/api/v1/cas/import").then())
                .body("errors.field", hasItem("password"));
        refused(400, "invalid-request", () -> asAdmin().multiPart("password", PASSWORD)
                .post("/api/v1/cas/import").then())
                .body("errors.field", hasItem("pkcs12"));
        refused(413, "pkcs12-too-large",
                () -> importCa(CaApi.write(dir, "large.p12", random(1024 * 1024 + 1)), PASSWORD, null));
        refused(403, "forbidden", () -> given().auth().oauth2(TestTokens.user("alice.import@example.com"))
                .multiPart("pkcs12", "good.p12", read(good), "application/x-pkcs12").multiPart("password", PASSWORD)
                .post("/api/v1/cas/import").then());
        refused(401, "unauthenticated", () -> given()
                .multiPart("pkcs12", "good.p12", read(good), "application/x-pkcs12").multiPart("password", PASSWORD)
                .post("/api/v1/cas/import").then());

        // After all that, the good file still imports.
        importCa(good, PASSWORD, null).statusCode(201);
    }

    private static final BigInteger RSAF4 = BigInteger.valueOf(65537);

    private static ValidatableResponse importCa(Path pkcs12, String password, String name) {
        var request = asAdmin().multiPart("pkcs12", pkcs12.getFileName().toString(), read(pkcs12),
                "application/x-pkcs12").multiPart("password", password);
        if (name != null) {
            request.multiPart("name", name);
        }
        return request.post("/api/v1/cas/import").then();
    }

    private ValidatableResponse refused(int status, String code, Supplier<ValidatableResponse> call) {
        Map<String, Long> before = counts();
        ValidatableResponse response = call.get().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("code", equalTo(code))
                .body(not(containsString("Exception"))).body(not(containsString("PRIVATE")));
        assertEquals(before, counts(), "nothing written for a refused import (" + code + ")");
        return response;
    }

    /** {@code openssl pkcs12 -export}, modern (the OpenSSL 3 default) or {@code -legacy}. */
    private Path export(String name, Path certificate, Path key, Path chain, boolean legacy) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("pkcs12", "-export", "-in", certificate.toString(),
                "-inkey", key.toString(), "-out", out.toString(), "-passout", "pass:" + PASSWORD));
        if (chain != null) {
            args.addAll(List.of("-certfile", chain.toString()));
        }
        if (legacy) {
            args.add("-legacy");
        }
        OpenSsl.run(args.toArray(String[]::new));
        return out;
    }

    /** A self-signed CA certificate made with BouncyCastle (openssl 3.0 cannot date one in the past) in a PKCS#12. */
    private Path selfSignedP12(String name, KeyPair keys, Instant notBefore, Instant notAfter) {
        X500Name subject = new X500Name("CN=" + name + " " + UUID.randomUUID() + ",O=smime-pki tests");
        byte[] der = caCertificate(subject, keys, subject, keys, notBefore, notAfter, null, true);
        return export(name + ".p12", pemFile(name + ".pem", der), keyFile(name + ".key", keys.getPrivate()), null,
                false);
    }

    private static byte[] caCertificate(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
            Instant notBefore, Instant notAfter, Integer pathLength, boolean ca) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(80, RANDOM).setBit(79), Date.from(notBefore), Date.from(notAfter), subject,
                    subjectKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, pathLength == null
                            ? new BasicConstraints(ca)
                            : new BasicConstraints(pathLength))
                    .addExtension(Extension.keyUsage, true,
                            KeyUsage.toExtension(EnumSet.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(subjectKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            // The policy's signature algorithm for the key type, whatever its (possibly refused) size or curve.
            KeyAlgorithm signing = issuerKeys.getPublic().getAlgorithm().startsWith("RSA")
                    ? KeyAlgorithm.RSA_2048
                    : KeyAlgorithm.EC_P256;
            return builder.build(new JcaContentSignerBuilder(signing.signatureAlgorithm())
                    .setProvider(BouncyCastle.provider()).build(issuerKeys.getPrivate())).getEncoded();
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private record KeyAndChain(PrivateKey key, Certificate certificate) {
    }

    /** PKCS#12 files openssl refuses to write: several keys, or a key beside someone else's certificate. */
    private Path jdkPkcs12(String name, KeyAndChain... entries) {
        try {
            KeyStore store = KeyStore.getInstance(AlgorithmPolicy.PKCS12_KEY_STORE);
            store.load(null, null);
            for (int i = 0; i < entries.length; i++) {
                store.setKeyEntry("key" + i, entries[i].key(), PASSWORD.toCharArray(),
                        new java.security.cert.Certificate[]{entries[i].certificate().x509()});
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, PASSWORD.toCharArray());
            return CaApi.write(dir, name, out.toByteArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path pemFile(String name, byte[] der) {
        return CaApi.write(dir, name, Pem.encode(PemType.CERTIFICATE, der));
    }

    private Path keyFile(String name, PrivateKey key) {
        return CaApi.write(dir, name, Pem.encode(PemType.PRIVATE_KEY, key.getEncoded()));
    }

    /** The CA key is stored, but never as the plain PKCS#8 the PKCS#12 held. */
    private void assertSealed(String caId, PrivateKey key) {
        byte[] plain = KeyPairs.privateKeyFromDer(key.getEncoded()).getEncoded();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select private_key_ciphertext, imported"
                        + " from certificate_authority where id = ?")) {
            query.setObject(1, UUID.fromString(caId));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                byte[] stored = row.getBytes(1);
                assertNotNull(stored);
                assertTrue(row.getBoolean(2), "marked as imported");
                assertFalse(contains(stored, Arrays.copyOfRange(plain, plain.length - 32, plain.length)),
                        "key material stored in the clear");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        asAdmin().get("/api/v1/cas/" + caId).then().statusCode(200).body(not(containsString("PRIVATE")));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static List<Certificate> certificates(String pem) {
        return Pem.decodeAll(pem, PemType.CERTIFICATE).stream().map(Certificate::of).toList();
    }

    private Map<String, Long> counts() {
        return TableRows.counts(dataSource, TABLES);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
