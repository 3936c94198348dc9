package dev.smimepki.ca;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.runtime.test.TestTokens;

/** Drives the ca-service API the way a client does; CSRs are made with BouncyCastle. */
final class CaApi {
    private static final Map<KeyAlgorithm, Hierarchy> HIERARCHIES = new ConcurrentHashMap<>();

    private CaApi() {
    }

    /** A request with an admin's bearer token: CA operations, issuance and revocation for any mailbox. */
    static RequestSpecification asAdmin() {
        return given().auth().oauth2(TestTokens.admin());
    }

    /** A root and an issuing CA under it. */
    record Hierarchy(String rootId, String issuingId, String rootPem, String issuingPem) {
    }

    /** What {@code POST /api/v1/certificates} answered. */
    record Issued(String serial, String certificatePem, String chainPem, String fingerprintSha256, JsonPath json) {
    }

    /** One hierarchy per CA key type for the whole test run: CA key generation is the slow part. */
    static Hierarchy hierarchy(KeyAlgorithm algorithm) {
        return HIERARCHIES.computeIfAbsent(algorithm, CaApi::newHierarchy);
    }

    static Hierarchy newHierarchy(KeyAlgorithm algorithm) {
        JsonPath root = createCa("Test Root " + algorithm, "CN=Test Root CA " + algorithm + ",O=smime-pki tests",
                algorithm, null, 3650);
        JsonPath issuing = createCa("Test Issuing " + algorithm,
                "CN=Test Issuing CA " + algorithm + ",O=smime-pki tests", algorithm, root.getString("id"), 1825);
        return new Hierarchy(root.getString("id"), issuing.getString("id"), root.getString("certificatePem"),
                issuing.getString("certificatePem"));
    }

    static JsonPath createCa(String name, String subject, KeyAlgorithm algorithm, String issuerCaId,
            int validityDays) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "subject", subject, "keyAlgorithm",
                algorithm.name(), "validityDays", validityDays));
        if (issuerCaId != null) {
            body.put("issuerCaId", issuerCaId);
        }
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/cas")
                .then().statusCode(201).extract().jsonPath();
    }

    static Issued issue(String caId, KeyPair keys, String profile, String usage, String... emails) {
        Map<String, Object> body = new HashMap<>(Map.of("caId", caId, "emails", List.of(emails), "csr",
                csr(keys)));
        if (profile != null) {
            body.put("profile", profile);
        }
        if (usage != null) {
            body.put("usage", usage);
        }
        JsonPath json = asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/certificates")
                .then().statusCode(201).extract().jsonPath();
        return new Issued(json.getString("serial"), json.getString("certificatePem"), json.getString("chainPem"),
                json.getString("fingerprintSha256"), json);
    }

    /**
     * A CSR that tries to smuggle in a subject and a CA basicConstraints: both must be ignored by the CA.
     */
    static String csr(KeyPair keys) {
        return csr(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()), keys);
    }

    /** Claims {@code claimed}'s public key but is signed with {@code signer}'s private key: no proof of possession. */
    static String forgedCsr(KeyPair claimed, KeyPair signer) {
        return csr(SubjectPublicKeyInfo.getInstance(claimed.getPublic().getEncoded()), signer);
    }

    private static String csr(SubjectPublicKeyInfo publicKey, KeyPair signer) {
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            PKCS10CertificationRequestBuilder builder = new PKCS10CertificationRequestBuilder(
                    new X500Name("CN=Mallory,O=Evil Corp,C=XX"), publicKey)
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            return Pem.encode(PemType.CERTIFICATE_REQUEST, builder.build(signer(signer)).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ContentSigner signer(KeyPair keys) {
        KeyAlgorithm type = keys.getPublic().getAlgorithm().startsWith("RSA")
                ? KeyAlgorithm.RSA_2048
                : KeyAlgorithm.EC_P256;
        try {
            return new JcaContentSignerBuilder(AlgorithmPolicy.signatureAlgorithm(type))
                    .setProvider(BouncyCastle.provider()).build(keys.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path write(Path dir, String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
