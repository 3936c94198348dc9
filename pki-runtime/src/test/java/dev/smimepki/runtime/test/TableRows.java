package dev.smimepki.runtime.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/** Row counts, for tests that prove a refused request wrote nothing (or a request exactly what it should). */
public final class TableRows {
    private TableRows() {
    }

    /** The number of rows of each table, in the order given. */
    public static Map<String, Long> counts(DataSource dataSource, List<String> tables) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tables) {
            counts.put(table, count(dataSource, "select count(*) from " + table));
        }
        return counts;
    }

    /** The single number a {@code select count(*) ...} answers. */
    public static long count(DataSource dataSource, String countQuery) {
        try (Connection connection = dataSource.getConnection();
                ResultSet rows = connection.createStatement().executeQuery(countQuery)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(countQuery + ": " + e.getMessage(), e);
        }
    }
}
