package dev.smimepki.ca.crl;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.smimepki.runtime.test.TestTokens;

/** The scheduled job re-signs a CRL that got old, and leaves fresh ones alone. */
@QuarkusTest
class CrlRefreshTest {
    @Inject
    CrlRefresh refresh;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void reSignsOnlyCrlsDueForRenewal() throws SQLException {
        refresh.refreshDueCrls();

        String caId = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "refresh", "subject", "CN=Refresh Root", "keyAlgorithm", "EC_P256",
                        "validityDays", 30))
                .post("/api/v1/cas").then().statusCode(201).extract().path("id");
        long before = count("select count(*) from crl");
        refresh.refreshDueCrls();
        assertEquals(before, count("select count(*) from crl"), "fresh CRLs are not re-signed");
        long newest = count("select max(crl_number) from crl where ca_id = '" + caId + "'");
        execute("update crl set this_update = this_update - interval '6 days 1 hour' where ca_id = '" + caId + "'");
        refresh.refreshDueCrls();
        assertEquals(before + 1, count("select count(*) from crl"), "exactly the old CRL is re-signed");
        assertEquals(newest + 1, count("select max(crl_number) from crl where ca_id = '" + caId + "'"));
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().executeUpdate(sql);
        }
    }
}
