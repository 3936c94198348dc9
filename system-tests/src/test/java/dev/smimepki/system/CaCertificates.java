package dev.smimepki.system;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;

import groovy.json.JsonOutput;

/** ca-service's records of one CA's certificates, the truth the system tests check the rest against. */
final class CaCertificates {
    private CaCertificates() {
    }

    /**
     * Every certificate of CA {@code caId}, read page by page from {@code GET /api/v1/certificates}, each as a JSON
     * document of its own: a path into the whole page would parse the page again for every field read.
     */
    static List<JsonPath> of(String caUrl, String token, String caId) {
        List<JsonPath> certificates = new ArrayList<>();
        for (int page = 0;; page++) {
            List<Map<String, Object>> items = given().auth().oauth2(token).queryParam("page", page)
                    .queryParam("size", 100).get(caUrl + "/api/v1/certificates").then().statusCode(200).extract()
                    .jsonPath().getList("items");
            if (items.isEmpty()) {
                return certificates;
            }
            for (Map<String, Object> item : items) {
                if (caId.equals(item.get("caId"))) {
                    certificates.add(JsonPath.from(JsonOutput.toJson(item)));
                }
            }
        }
    }
}
