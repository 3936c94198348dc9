package dev.smimepki.bench.platform;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import dev.smimepki.bench.compare.Slapd;
import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;

/**
 * Fills directory-service's database with certificates straight through PostgreSQL's COPY, as {@code slapadd}
 * fills slapd: through the platform, at the tens to hundreds of issuances a second this machine manages, a million
 * would take hours. Each is an S/MIME certificate of a CA the bench makes, for a mailbox of its own, stored as the
 * directory's consumer stores an issued certificate (source issued, trusted, with its chain); the same certificates
 * go to an LDIF for slapd. The directory's triggers are off while loading (the session acts as a replica, which
 * needs a superuser; without one they fire), and at the end every instance is told to forget what it cached.
 * {@link #close} deletes what was loaded.
 */
public final class DirectoryLoad implements AutoCloseable {
    private static final String DOMAIN = "bulk.bench.example";
    private static final int CHUNK = 5_000;
    /** A bulk load older than this is a leftover of a killed run. */
    static final Duration LEFTOVER = Duration.ofHours(12);
    private static final String ISSUED_HERE = "issued by this platform's CA";
    private static final String CERTIFICATE_COLUMNS = "fingerprint_sha256, serial, issuer, subject, not_before,"
            + " not_after, source, trust, der, chain_pem, first_seen, last_seen, times_harvested, trust_detail";

    private final Connection connection;
    private final String issuer;
    private final String tag;
    private final int count;
    private final boolean triggersOff;

    private DirectoryLoad(Connection connection, String issuer, String tag, int count, boolean triggersOff) {
        this.connection = connection;
        this.issuer = issuer;
        this.tag = tag;
        this.count = count;
        this.triggersOff = triggersOff;
    }

    /**
     * Generates {@code count} certificates, COPYs them into the directory's tables and writes them to {@code ldif}
     * (the entries only, for {@link Slapd#start(Path, Path)}); {@code say} hears the progress.
     */
    public static DirectoryLoad load(String jdbcUrl, String user, String password, int count, String tag, Path ldif,
            Consumer<String> say) throws Exception {
        Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        try {
            boolean triggersOff = replicaSession(connection);
            if (!triggersOff) {
                say.accept("not a superuser on " + jdbcUrl + ": the directory's triggers fire for every row");
            }
            Generator generator = new Generator(tag);
            DirectoryLoad load = new DirectoryLoad(connection, generator.issuer, tag, count, triggersOff);
            try {
                int left = deleteLeftovers(connection, triggersOff);
                if (left > 0) {
                    say.accept("  deleted " + left + " certificates a load of over " + LEFTOVER.toHours()
                            + " hours ago left (its run was killed)");
                }
                load.fill(generator, ldif, say);
            } catch (Exception | Error e) {
                try {
                    load.close(); // what was loaded before the failure goes too
                } catch (SQLException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            return load;
        } catch (Exception | Error e) {
            if (!connection.isClosed()) {
                connection.close();
            }
            throw e;
        }
    }

    /**
     * Waits until directory-service has derived the look-up facts of every certificate loaded (its
     * {@code RecipientFactsBackfill} does for rows written without them), so that the look-ups measured are those of
     * certificates it stored itself; at most {@code limit}. How long it took, or empty when the limit came first.
     */
    public Optional<Duration> awaitLookupFacts(Duration limit, Consumer<String> say)
            throws SQLException, InterruptedException {
        Instant start = Instant.now();
        Instant nextWord = start.plusSeconds(30);
        try (PreparedStatement pending = connection.prepareStatement(
                "select count(*) from directory_certificate where facts_version is null and issuer = ?")) {
            pending.setString(1, issuer);
            while (true) {
                long left;
                try (ResultSet rows = pending.executeQuery()) {
                    rows.next();
                    left = rows.getLong(1);
                }
                Duration waited = Duration.between(start, Instant.now());
                if (left == 0) {
                    return Optional.of(waited);
                }
                if (waited.compareTo(limit) > 0) {
                    say.accept(String.format("  %,d certificates still without look-up facts after %d s: their"
                            + " look-ups parse the certificate", left, waited.toSeconds()));
                    return Optional.empty();
                }
                if (Instant.now().isAfter(nextWord)) {
                    say.accept(String.format("  %,d of %,d certificates without look-up facts yet (%d s)", left, count,
                            waited.toSeconds()));
                    nextWord = Instant.now().plusSeconds(30);
                }
                Thread.sleep(1_000);
            }
        }
    }

    /** The mailbox of certificate {@code i} (0 to {@code count - 1}). */
    public String email(long i) {
        return "d" + i + "-" + tag + "@" + DOMAIN;
    }

    public int count() {
        return count;
    }

    private void fill(Generator generator, Path ldif, Consumer<String> say) throws Exception {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        Instant start = Instant.now();
        try (OutputStream entries = Files.newOutputStream(ldif)) {
            entries.write(Slapd.ldifBase().getBytes(StandardCharsets.UTF_8));
            List<Future<Chunk>> pending = new ArrayList<>();
            int next = 0;
            int done = 0;
            while (done < count) {
                while (next < count && pending.size() < threads * 2) {
                    int from = next;
                    int to = Math.min(count, from + CHUNK);
                    pending.add(workers.submit(() -> generator.chunk(from, to, this::email)));
                    next = to;
                }
                Chunk chunk = pending.remove(0).get();
                copy(copy, "copy directory_certificate (" + CERTIFICATE_COLUMNS + ") from stdin with (format csv)",
                        chunk.certificates());
                copy(copy, "copy directory_mailbox (address, fingerprint_sha256) from stdin with (format csv)",
                        chunk.mailboxes());
                entries.write(chunk.ldif());
                done += chunk.size();
                if (done % 100_000 == 0 || done == count) {
                    say.accept(String.format("  %,d of %,d certificates loaded (%d s)", done, count,
                            Duration.between(start, Instant.now()).toSeconds()));
                }
            }
        } finally {
            workers.shutdownNow();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("analyze directory_certificate");
            statement.execute("analyze directory_mailbox");
            statement.execute("select pg_notify('pki_directory_mailbox', '*')");
        }
    }

    private static void copy(CopyManager copy, String sql, byte[] rows) throws SQLException {
        CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(rows, 0, rows.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** Deletes every certificate of this load and its mailboxes; the directory forgets what it cached. */
    @Override
    public void close() throws SQLException {
        try (connection) {
            delete(connection, issuer.replace("%", "\\%").replace("_", "\\_"), Instant.now().plusSeconds(60),
                    triggersOff);
        }
    }

    /**
     * Loads of a run killed before it could delete them: bulk CAs' certificates first seen over {@link #LEFTOVER}
     * ago (a run takes well under an hour; another run's load going on now is left alone).
     */
    private static int deleteLeftovers(Connection connection, boolean triggersOff) throws SQLException {
        return delete(connection, "%CN=Bench Bulk CA %", Instant.now().minus(LEFTOVER), triggersOff);
    }

    /**
     * Deletes the certificates whose issuer is like {@code issuerPattern} first seen before {@code seenBefore}, with
     * their mailboxes; how many.
     */
    private static int delete(Connection connection, String issuerPattern, Instant seenBefore, boolean triggersOff)
            throws SQLException {
        String mine = "select fingerprint_sha256 from directory_certificate where issuer like ? and first_seen < ?";
        try (PreparedStatement mailboxes = connection.prepareStatement("delete from directory_mailbox where"
                + " fingerprint_sha256 in (" + mine + ")");
                PreparedStatement certificates = connection.prepareStatement("delete from directory_certificate"
                        + " where fingerprint_sha256 in (" + mine + ")");
                Statement notify = connection.createStatement()) {
            Timestamp before = Timestamp.from(seenBefore);
            mailboxes.setString(1, issuerPattern);
            mailboxes.setTimestamp(2, before);
            mailboxes.executeUpdate();
            certificates.setString(1, issuerPattern);
            certificates.setTimestamp(2, before);
            int deleted = certificates.executeUpdate();
            if (triggersOff && deleted > 0) {
                notify.execute("select pg_notify('pki_directory_mailbox', '*')");
            }
            return deleted;
        }
    }

    private static boolean replicaSession(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("set session_replication_role = replica");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** One chunk's rows: CSV for the two tables and the LDIF entries. */
    private record Chunk(int size, byte[] certificates, byte[] mailboxes, byte[] ldif) {
    }

    /** S/MIME certificates of one EC P-256 CA, all for one subscriber key (a look-up never checks it). */
    private static final class Generator {
        private final KeyPair caKeys = KeyPairs.generate(KeyAlgorithm.EC_P256);
        private final PublicKey subscriberKey = KeyPairs.generate(KeyAlgorithm.EC_P256).getPublic();
        private final X500Name caName;
        private final String issuer;
        private final String chainPem;
        private final Instant notBefore = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        private final Instant notAfter = notBefore.plus(366, ChronoUnit.DAYS);
        /** Computed once: the extension utilities hold a digest, not to be shared between threads. */
        private final AuthorityKeyIdentifier authorityKeyIdentifier;
        private final SecureRandom random = new SecureRandom();

        Generator(String tag) throws Exception {
            caName = new X500Name("CN=Bench Bulk CA " + tag + ",O=smime-pki bench");
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            authorityKeyIdentifier = extensions.createAuthorityKeyIdentifier(caKeys.getPublic());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(
                    notBefore), Date.from(notAfter.plus(365, ChronoUnit.DAYS)), caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            Certificate ca = Certificate.of(builder.build(signer()).getEncoded());
            issuer = ca.subject();
            chainPem = ca.pem();
        }

        private ContentSigner signer() throws Exception {
            return new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.provider())
                    .build(caKeys.getPrivate());
        }

        private BigInteger serial() {
            return new BigInteger(127, random).setBit(126);
        }

        Chunk chunk(int from, int to, LongFunction<String> email) throws Exception {
            ContentSigner signer = signer();
            String seen = Instant.now().toString();
            StringBuilder certificates = new StringBuilder((to - from) * 1_800);
            StringBuilder mailboxes = new StringBuilder((to - from) * 100);
            ByteArrayOutputStream ldif = new ByteArrayOutputStream((to - from) * 1_000);
            HexFormat hex = HexFormat.of();
            for (int i = from; i < to; i++) {
                String address = email.apply(i);
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName, serial(),
                        Date.from(notBefore), Date.from(notAfter),
                        new X500Name("CN=Bulk Recipient " + i), subscriberKey)
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true,
                                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                        .addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                        .addExtension(Extension.subjectAlternativeName, false,
                                new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)))
                        .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
                Certificate certificate = Certificate.of(builder.build(signer).getEncoded());
                String fingerprint = certificate.fingerprintSha256();
                certificates.append(fingerprint).append(',').append(certificate.serialHex()).append(',')
                        .append(csv(certificate.issuer())).append(',').append(csv(certificate.subject())).append(',')
                        .append(certificate.notBefore()).append(',').append(certificate.notAfter())
                        .append(",issued,trusted,\\x").append(hex.formatHex(certificate.der())).append(',')
                        .append(csv(chainPem)).append(',').append(seen).append(',').append(seen).append(",0,")
                        .append(csv(ISSUED_HERE)).append('\n');
                mailboxes.append(address).append(',').append(fingerprint).append('\n');
                ldif.write(Slapd.ldifEntry(i, address, certificate.der()).getBytes(StandardCharsets.UTF_8));
            }
            return new Chunk(to - from, certificates.toString().getBytes(StandardCharsets.UTF_8),
                    mailboxes.toString().getBytes(StandardCharsets.UTF_8), ldif.toByteArray());
        }

        private static String csv(String value) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
    }
}
