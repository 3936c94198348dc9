package dev.smimepki.directory.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.EndEntitySpec;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.runtime.test.TestTokens;

/** Uploads are checked like a careful mail client checks them; each failed check is named in the 422. */
@QuarkusTest
class CertificateUploadTest {
    private static final String UPLOAD = "/api/v1/directory/certificates";

    @TempDir
    Path dir;

    @Test
    void eachUnfitCertificateIsRefusedNamingTheFailedCheckAndNothingIsStored() {
        TestPki pki = TestPki.shared();
        assertRefused(pki.issue(EndEntitySpec.forEmails(address("nosan")).includeSan(false)),
                "subjectAltName.email");
        assertRefused(pki.issue(EndEntitySpec.forEmails(address("noku")).includeKeyUsage(false)), "keyUsage.present");
        assertRefused(pki.issue(EndEntitySpec.forEmails(address("eku")).extendedKeyUsages(EndEntitySpec.SERVER_AUTH)),
                "extendedKeyUsage.emailProtection");
        assertRefused(pki.issue(EndEntitySpec.forEmails(address("expired")).expired()), "validity.expired");
        assertRefused(pki.issue(EndEntitySpec.forEmails(address("future")).notYetValid()), "validity.notYetValid");
        EndEntity weak = pki.issue(EndEntitySpec.forEmails(address("rsa1024"))
                .keyPair(TestPki.rsaKeyPair(1024, RSAKeyGenParameterSpec.F4)));
        assertRefused(weak, "key.algorithm").body("errors.message", hasItem(containsString("1024 bits")));

        EndEntity everythingWrong = pki.issue(EndEntitySpec.forEmails(address("all")).includeSan(false)
                .includeKeyUsage(false).extendedKeyUsages(EndEntitySpec.SERVER_AUTH).expired());
        assertRefused(everythingWrong, "subjectAltName.email").body("errors.check", hasItems("keyUsage.present",
                "extendedKeyUsage.emailProtection", "validity.expired")).body("errors", hasSize(4));
    }

    @Test
    void goodPemAndDerUploadsAreStoredUnverifiedUntilAnAdminAddsTheirAnchor() {
        TestPki pki = TestPki.create();
        EndEntity pem = pki.issue(address("pem"));
        EndEntity der = pki.issue(address("der"));
        given().contentType(UploadFormat.PEM_FILE).body(ascii(pem.certificate().pem())).post(UPLOAD).then()
                .statusCode(401).contentType("application/problem+json");

        given().auth().oauth2(TestTokens.user("someone@example.com")).contentType(UploadFormat.PEM_FILE)
                .body(ascii(pem.certificate().pem())).post(UPLOAD).then().statusCode(201)
                .body("certificates[0].fingerprintSha256", equalTo(pem.certificate().fingerprintSha256()))
                .body("certificates[0].trust", equalTo("unverified"))
                .body("certificates[0].trustDetail",
                        anyOf(containsString("is unknown"), containsString("no trust anchor is known"),
                                containsString("did not sign")));
        given().auth().oauth2(TestTokens.service()).contentType(UploadFormat.PKIX_CERT)
                .body(der.certificate().der()).post(UPLOAD).then().statusCode(201)
                .body("certificates[0].emails", equalTo(List.of(der.certificate().emails().get(0))));
        lookUp(pem).body("certificates[0].source", equalTo("uploaded")).body("certificates[0].trust",
                equalTo("unverified"));

        given().auth().oauth2(TestTokens.user("someone@example.com")).contentType(UploadFormat.PEM_FILE)
                .body(ascii(pki.chain().pem())).post(UPLOAD).then().statusCode(403).body("code",
                        equalTo("anchor-requires-admin"));
        given().auth().oauth2(TestTokens.admin()).contentType(UploadFormat.PEM_FILE).body(ascii(pki.chain().pem()))
                .post(UPLOAD).then().statusCode(201).body("anchors", hasSize(2));
        lookUp(pem).body("certificates[0].trust", equalTo("trusted"))
                .body("certificates[0].trustDetail", containsString("chains to trust anchor CN=smime-pki Test"));
        lookUp(der).body("certificates[0].trust", equalTo("trusted"));
    }

    @Test
    void pkcs7BundleMadeByOpensslStoresEachCertificateAndUsesItsCasOnlyAsChain() throws Exception {
        TestPki pki = TestPki.create();
        EndEntity first = pki.issue(address("bundle1"));
        EndEntity second = pki.issue(address("bundle2"));
        Path a = Files.writeString(dir.resolve("a.pem"), first.certificate().pem());
        Path b = Files.writeString(dir.resolve("b.pem"), second.certificate().pem());
        TestPki.PemFiles ca = pki.writeTo(dir.resolve("ca"));
        Path p7 = dir.resolve("bundle.p7b");
        OpenSsl.run("crl2pkcs7", "-nocrl", "-certfile", a.toString(), "-certfile", b.toString(), "-certfile",
                ca.chain().toString(), "-outform", "DER", "-out", p7.toString());

        given().auth().oauth2(TestTokens.user("someone@example.com")).contentType(UploadFormat.PKCS7_MIME)
                .body(Files.readAllBytes(p7)).post(UPLOAD).then().statusCode(201)
                .body("certificates.fingerprintSha256", hasItems(first.certificate().fingerprintSha256(),
                        second.certificate().fingerprintSha256()))
                .body("certificates", hasSize(2)).body("anchors", hasSize(0)).body("ignored", hasSize(2))
                .body("ignored[0].reason", containsString("pki-admin"));
        lookUp(first).body("preferred", equalTo(first.certificate().fingerprintSha256()));
        lookUp(second).body("preferred", equalTo(second.certificate().fingerprintSha256()))
                .body("certificates[0].trust", equalTo("unverified"));

        // The same bundle in PEM form is accepted under application/pkcs7-mime too.
        Path p7pem = dir.resolve("bundle.pem");
        OpenSsl.run("crl2pkcs7", "-nocrl", "-certfile", a.toString(), "-out", p7pem.toString());
        given().auth().oauth2(TestTokens.admin()).contentType(UploadFormat.PKCS7_MIME)
                .body(Files.readAllBytes(p7pem)).post(UPLOAD).then().statusCode(201).body("certificates",
                        hasSize(1));
    }

    @Test
    void malformedUploadsAre400AndAPrivateKeyIsNeverTaken() {
        EndEntity entity = TestPki.shared().issue(address("key"));
        String token = TestTokens.user("someone@example.com");
        given().auth().oauth2(token).contentType(UploadFormat.PEM_FILE)
                .body(ascii(entity.certificate().pem() + entity.privateKeyPem())).post(UPLOAD).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("PRIVATE KEY"));
        given().auth().oauth2(token).contentType(UploadFormat.PKIX_CERT).body(new byte[]{0x30, 0x03, 1, 2, 3})
                .post(UPLOAD).then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).contentType(UploadFormat.PKCS7_MIME).body(entity.certificate().der())
                .post(UPLOAD).then().statusCode(400).body("detail", containsString("PKCS#7"));
        given().auth().oauth2(token).contentType(UploadFormat.PEM_FILE).body(new byte[0]).post(UPLOAD).then()
                .statusCode(400);
        lookUp(entity).body("certificates", hasSize(0));
    }

    private ValidatableResponse assertRefused(EndEntity entity, String check) {
        ValidatableResponse response = given().auth().oauth2(TestTokens.user("someone@example.com"))
                .contentType(UploadFormat.PEM_FILE).body(ascii(entity.certificate().pem())).post(UPLOAD).then()
                .statusCode(422).contentType("application/problem+json").body("code", equalTo("unfit-certificate"))
                .body("errors.check", hasItem(check)).body("errors[0].field", equalTo("certificate"));
        String address = entity.certificate().emails().get(0);
        assertEquals(0, given().get("/api/v1/directory/" + address).then().statusCode(200).extract().jsonPath()
                .getList("certificates").size(), "nothing stored for " + check);
        return response;
    }

    private static ValidatableResponse lookUp(EndEntity entity) {
        return given().get("/api/v1/directory/" + entity.certificate().emails().get(0)).then().statusCode(200);
    }

    private static byte[] ascii(String pem) {
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    private static String address(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@upload.example";
    }
}
