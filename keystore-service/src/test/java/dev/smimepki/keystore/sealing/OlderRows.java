package dev.smimepki.keystore.sealing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;

import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;

/** Stored EC keys sealed under an older KEK version, inserted in one JDBC batch as an older deployment left them. */
final class OlderRows {
    private OlderRows() {
    }

    static Map<UUID, KeyPair> insert(DataSource dataSource, EnvelopeEncryption envelope, int count, String mailbox)
            throws Exception {
        Map<UUID, KeyPair> keys = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement key = connection.prepareStatement("insert into stored_key (id, key_algorithm,"
                    + " public_key_der, public_key_sha256, origin, created_at, private_key_nonce,"
                    + " private_key_ciphertext, kek_version, data_key_nonce, wrapped_data_key)"
                    + " values (?, 'EC_P256', ?, ?, 'generated', ?, ?, ?, ?, ?, ?)");
                    PreparedStatement email = connection.prepareStatement(
                            "insert into stored_key_email (key_id, email) values (?, ?)")) {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                for (int i = 0; i < count; i++) {
                    UUID id = UUID.randomUUID();
                    KeyPair pair = KeyPairs.generate(KeyAlgorithm.EC_P256);
                    keys.put(id, pair);
                    SealedPrivateKey sealed = envelope.seal(id, KeyAlgorithm.EC_P256, pair.getPrivate().getEncoded());
                    key.setObject(1, id);
                    key.setBytes(2, pair.getPublic().getEncoded());
                    key.setString(3, HexFormat.of().formatHex(sha256.digest(pair.getPublic().getEncoded())));
                    key.setTimestamp(4, Timestamp.from(Instant.now()));
                    key.setBytes(5, sealed.nonce());
                    key.setBytes(6, sealed.ciphertext());
                    key.setString(7, sealed.wrappedDataKey().kekVersion());
                    key.setBytes(8, sealed.wrappedDataKey().nonce());
                    key.setBytes(9, sealed.wrappedDataKey().ciphertext());
                    key.addBatch();
                    email.setObject(1, id);
                    email.setString(2, mailbox);
                    email.addBatch();
                }
                key.executeBatch();
                email.executeBatch();
            }
            connection.commit();
        }
        return keys;
    }

    static boolean verifies(KeyPair key, byte[] digest, byte[] signature) throws Exception {
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, (ECPublicKeyParameters) PublicKeyFactory.createKey(key.getPublic().getEncoded()));
        ASN1Sequence rs = ASN1Sequence.getInstance(signature);
        BigInteger r = ASN1Integer.getInstance(rs.getObjectAt(0)).getValue();
        BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
        if (r.signum() <= 0 || s.signum() <= 0) {
            return false;
        }
        return verifier.verifySignature(digest, r, s);
    }
}
