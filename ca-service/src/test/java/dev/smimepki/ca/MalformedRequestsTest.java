package dev.smimepki.ca;

import static dev.smimepki.ca.CaApi.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * Bodies a probe of the running platform found answered badly: strings PostgreSQL or UTF-8 cannot hold (a 500),
 * JSON of the wrong shape (a detail naming Java classes), a multipart body cut short (a 500). Each is a 400 naming
 * what is wrong, in JSON's terms.
 */
@QuarkusTest
class MalformedRequestsTest {

    @Test
    void aStringWithANulOrHalfASurrogatePairIsRefusedNamingItsField() {
        malformedJson("{\"name\":\"a\\u0000b\",\"subject\":\"CN=x\",\"keyAlgorithm\":\"EC_P256\",\"validityDays\":10}",
                "/api/v1/cas").body("errors[0].field", equalTo("name"))
                .body("detail", containsString("NUL character"));
        String issuing = CaApi.hierarchy(KeyAlgorithm.EC_P256).issuingId();
        malformedJson("{\"caId\":\"" + issuing + "\",\"emails\":[\"nul@example.org\"],\"commonName\":\"a\\ud800\","
                + "\"keyAlgorithm\":\"EC_P256\"}", "/api/v1/certificates")
                .body("errors[0].field", equalTo("commonName")).body("detail", containsString("surrogate"));
        malformedJson(
                "{\"caId\":\"" + issuing + "\",\"emails\":[\"a\\u0000@example.org\"],\"keyAlgorithm\":\"EC_P256\"}",
                "/api/v1/certificates").body("errors[0].field", equalTo("emails[0]"));
        // a whole pair is a character like any other
        asAdmin().contentType("application/json; charset=utf-8")
                .body(("{\"caId\":\"" + issuing
                        + "\",\"emails\":[\"pair@example.org\"],\"commonName\":\"Ann \\ud83d\\ude00\","
                        + "\"csr\":\"" + CaApi.csr(dev.smimepki.core.policy.KeyPairs.generate(KeyAlgorithm.EC_P256))
                                .replace("\n", "\\n")
                        + "\"}").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/certificates").then().statusCode(201);
    }

    @Test
    void aValueOfTheWrongKindIsNamedWithoutJavaClassNames() {
        malformedJson("[]", "/api/v1/cas").body("detail", containsString("expected an object"));
        malformedJson("{\"name\":\"n\",\"subject\":\"CN=x\",\"keyAlgorithm\":\"EC_P256\",\"validityDays\":10,"
                + "\"issuerCaId\":\"nope\"}", "/api/v1/cas").body("errors[0].field", equalTo("issuerCaId"))
                .body("detail", containsString("a UUID"));
        malformedJson("{\"name\":\"n\",\"subject\":\"CN=x\",\"keyAlgorithm\":\"EC_P256\",\"validityDays\":\"x\"}",
                "/api/v1/cas").body("errors[0].field", equalTo("validityDays"))
                .body("detail", containsString("an integer"));
        malformedJson("{\"caId\":\"" + CaApi.hierarchy(KeyAlgorithm.EC_P256).issuingId()
                + "\",\"emails\":\"a@b.org\",\"keyAlgorithm\":\"EC_P256\"}", "/api/v1/certificates")
                .body("errors[0].field", equalTo("emails")).body("detail", containsString("an array"));
    }

    /** Jackson took all of these, as "123", "true", 30, 1 and "0". */
    @Test
    void aValueIsReadAsTheKindItIsNotConvertedFromAnother() {
        String ca = "{\"subject\":\"CN=x\",\"keyAlgorithm\":\"EC_P256\",";
        malformedJson(ca + "\"name\":123,\"validityDays\":10}", "/api/v1/cas")
                .body("errors[0].field", equalTo("name")).body("detail", containsString("a string"));
        malformedJson(ca + "\"name\":true,\"validityDays\":10}", "/api/v1/cas")
                .body("errors[0].field", equalTo("name")).body("detail", containsString("a string"));
        malformedJson(ca + "\"name\":\"n\",\"validityDays\":\"30\"}", "/api/v1/cas")
                .body("errors[0].field", equalTo("validityDays")).body("detail", containsString("an integer"));
        malformedJson(ca + "\"name\":\"n\",\"validityDays\":1.5}", "/api/v1/cas")
                .body("errors[0].field", equalTo("validityDays")).body("detail", containsString("an integer"));
        malformedJson("{\"subject\":\"CN=x\",\"name\":\"n\",\"validityDays\":10,\"keyAlgorithm\":0}",
                "/api/v1/cas").body("errors[0].field", equalTo("keyAlgorithm"))
                .body("detail", containsString("a string"));
    }

    @Test
    void aMultipartBodyWithoutItsClosingBoundaryIsMalformed() {
        asAdmin().contentType("multipart/form-data; boundary=XYZ")
                .body("--XYZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nabc"
                        .getBytes(StandardCharsets.US_ASCII))
                .post("/api/v1/cas/import").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("malformed-multipart"));
    }

    /** JAX-RS made these a 404 "HTTP 404 Not Found", as if the resource did not exist. */
    @Test
    void aParameterOfTheWrongFormIsNamedAsSuch() {
        for (String path : new String[]{"/api/v1/certificates?page=abc", "/api/v1/certificates?size=1.5",
                "/api/v1/certificates?page=99999999999", "/api/v1/cas/not-a-uuid"}) {
            asAdmin().get(path).then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("invalid-parameter")).body("detail", containsString("UUID"));
        }
        asAdmin().get("/api/v1/cas/00000000-0000-4000-8000-000000000000").then().statusCode(404);
        asAdmin().get("/api/v1/no-such-thing").then().statusCode(404);
    }

    /** It was a 406 with an empty body. */
    @Test
    void aCaCertificateInAFormNotServedIsA406Problem() {
        asAdmin().accept("text/html").get("/api/v1/cas/" + CaApi.hierarchy(KeyAlgorithm.EC_P256).rootId()
                + "/certificate").then().statusCode(406).contentType("application/problem+json")
                .body("detail", containsString("application/pkix-cert"));
    }

    private static ValidatableResponse malformedJson(String body, String path) {
        return asAdmin().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8)).post(path).then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("malformed-json"))
                .body("detail", not(containsString("`"))).body("detail", not(containsString("java.")))
                .body("detail", not(containsString("dev.smimepki")));
    }
}
