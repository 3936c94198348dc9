package dev.smimepki.keystore;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.sql.DataSource;

/**
 * What a dump of the database would show: every column of every row of every table of the public schema, as bytes
 * (bytea) and text (everything else), searched for a secret in raw, hex and base64 form.
 */
public final class DatabaseScan {
    private DatabaseScan() {
    }

    /** The tables scanned. */
    public static List<String> tables(DataSource dataSource) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select table_name from information_schema.tables"
                        + " where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    /** Where the secret occurs, as "table.column"; empty when nowhere. Also returns the number of cells scanned. */
    public static List<String> occurrences(DataSource dataSource, byte[] secret) throws SQLException {
        String hex = HexFormat.of().formatHex(secret);
        String base64 = Base64.getEncoder().encodeToString(secret);
        List<String> found = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String table : tables(dataSource)) {
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("select * from " + table)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            byte[] bytes = "bytea".equals(meta.getColumnTypeName(column))
                                    ? rows.getBytes(column)
                                    : String.valueOf(rows.getString(column)).getBytes(StandardCharsets.UTF_8);
                            if (bytes == null) {
                                continue;
                            }
                            String text = new String(bytes, StandardCharsets.ISO_8859_1);
                            if (indexOf(bytes, secret) >= 0 || text.contains(hex) || text.contains(base64)) {
                                found.add(table + "." + meta.getColumnName(column));
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Counts every row of every table, to show the scan saw data. */
    public static long rows(DataSource dataSource) throws SQLException {
        long count = 0;
        try (Connection connection = dataSource.getConnection()) {
            for (String table : tables(dataSource)) {
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("select count(*) from " + table)) {
                    rows.next();
                    count += rows.getLong(1);
                }
            }
        }
        return count;
    }

    public static int indexOf(byte[] haystack, byte[] needle) {
        outer : for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
