package dev.smimepki.keystore.sealing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One batch of KEK rotation over plain JDBC, in the caller's transaction: lock up to {@code batchSize} rows wrapped
 * under an older version ({@code skip locked}: rows another replica is rewrapping are left to it), rewrap each data
 * key, update version and wrapped key in one statement per row. A row is either entirely old or entirely new.
 */
final class DataKeyRewrap {
    private DataKeyRewrap() {
    }

    static int batch(Connection connection, EnvelopeEncryption envelope, Set<String> olderVersions, int batchSize)
            throws SQLException {
        List<UUID> ids = new ArrayList<>();
        List<WrappedDataKey> wrapped = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("select id, kek_version, data_key_nonce,"
                + " wrapped_data_key from stored_key where kek_version = any (?) order by id limit ?"
                + " for update skip locked")) {
            select.setArray(1, connection.createArrayOf("text", olderVersions.toArray()));
            select.setInt(2, batchSize);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                    wrapped.add(new WrappedDataKey(rows.getString(2), rows.getBytes(3), rows.getBytes(4)));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement update = connection.prepareStatement("update stored_key set kek_version = ?,"
                + " data_key_nonce = ?, wrapped_data_key = ? where id = ?")) {
            for (int i = 0; i < ids.size(); i++) {
                WrappedDataKey rewrapped = envelope.rewrap(ids.get(i), wrapped.get(i));
                update.setString(1, rewrapped.kekVersion());
                update.setBytes(2, rewrapped.nonce());
                update.setBytes(3, rewrapped.ciphertext());
                update.setObject(4, ids.get(i));
                update.addBatch();
            }
            update.executeBatch();
        }
        return ids.size();
    }

    static long pending(Connection connection, String activeVersion) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "select count(*) from stored_key where kek_version <> ?")) {
            count.setString(1, activeVersion);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
