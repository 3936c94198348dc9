package dev.smimepki.ca;

import static dev.smimepki.ca.CaApi.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.core.testpki.OpenSsl;

/**
 * Mailboxes beyond ASCII: an internationalised domain is certified in its A-label form, as an rfc822Name (an
 * IA5String) must spell it (RFC 5280 section 7.5); an internationalised local part is refused naming why. A probe
 * found the raw bytes of "jörg@bücher.de" in a certificate's subjectAltName, which no IA5String may hold.
 */
@QuarkusTest
class InternationalMailboxesTest {

    @TempDir
    Path dir;

    @Test
    void anInternationalisedDomainIsCertifiedAsALabels() throws Exception {
        CaApi.Issued issued = CaApi.issue(CaApi.hierarchy(KeyAlgorithm.EC_P256).issuingId(),
                KeyPairs.generate(KeyAlgorithm.EC_P256), null, null, "juergen@Bücher.example");
        assertEquals(List.of("juergen@xn--bcher-kva.example"), issued.json().getList("emails"));

        X509CertificateHolder certificate = new X509CertificateHolder(
                Pem.decodeOne(issued.certificatePem(), PemType.CERTIFICATE));
        GeneralName[] names = GeneralNames.fromExtensions(certificate.getExtensions(), Extension.subjectAlternativeName)
                .getNames();
        assertEquals(1, names.length);
        assertEquals(GeneralName.rfc822Name, names[0].getTagNo());
        assertEquals("juergen@xn--bcher-kva.example", ASN1IA5String.getInstance(names[0].getName()).getString());
        RDN[] email = certificate.getSubject().getRDNs(BCStyle.EmailAddress);
        assertEquals("juergen@xn--bcher-kva.example", ASN1IA5String.getInstance(
                email[0].getFirst().getValue()).getString());

        String text = OpenSsl.run("x509", "-in", CaApi.write(dir, "idn.pem", issued.certificatePem()).toString(),
                "-noout", "-text");
        assertTrue(text.contains("email:juergen@xn--bcher-kva.example"), text);
    }

    @Test
    void anInternationalisedLocalPartIsRefusedNamingTheMailbox() {
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("caId", CaApi.hierarchy(KeyAlgorithm.EC_P256).issuingId(),
                        "emails", List.of("ok@example.org", "jörg@bücher.de"),
                        "csr", CaApi.csr(KeyPairs.generate(KeyAlgorithm.EC_P256))))
                .post("/api/v1/certificates").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid-email")).body("errors[0].field", equalTo("emails[1]"))
                .body("errors[0].message", containsString("SmtpUTF8Mailbox"));
    }
}
