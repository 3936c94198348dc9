package dev.smimepki.bench.compare;

import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;

/**
 * Debian's OpenLDAP {@code slapd} with back-mdb on a free port, configured under the results folder and loaded
 * offline with {@code slapadd} from an LDIF of the same certificates the platform holds, indexed on {@code mail}.
 */
public final class Slapd implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/slapd");
    private static final Path SLAPADD = Path.of("/usr/sbin/slapadd");
    private static final Path SCHEMA = Path.of("/etc/ldap/schema");
    private static final Path MODULES = Path.of("/usr/lib/ldap");
    public static final String BASE = "dc=pki";

    /** An entry to load: its mailbox and DER certificate. */
    public record Entry(String email, byte[] certificateDer) {
    }

    private final Process process;
    private final int port;

    private Slapd(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isExecutable(SLAPADD);
    }

    public static String version() {
        try {
            String out = Shell.run(Path.of("."), List.of(BINARY.toString(), "-VV"));
            return out.lines().filter(l -> l.contains("slapd")).findFirst().orElse(out).trim();
        } catch (IOException e) {
            return "slapd: " + e.getMessage();
        }
    }

    public int port() {
        return port;
    }

    /** Starts slapd loaded with {@code entries}. */
    public static Slapd start(Path dir, List<Entry> entries) throws IOException {
        Path ldif = Files.createTempFile("slapd-entries", ".ldif");
        try {
            writeLdif(ldif, entries);
            return start(dir, ldif);
        } finally {
            Files.deleteIfExists(ldif);
        }
    }

    /**
     * Starts slapd loaded with the entries of {@code ldif}: {@link #ldifBase()}, then {@link #ldifEntry} for each
     * (written outside {@code dir}, which is emptied first).
     */
    public static Slapd start(Path dir, Path ldif) throws IOException {
        Path db = dir.resolve("db");
        delete(dir);
        Files.createDirectories(db);
        Path config = dir.resolve("slapd.conf");
        Files.writeString(config, config(dir, db));
        Shell.run(dir, List.of(SLAPADD.toString(), "-q", "-f", config.toString(), "-l", ldif.toString()));
        int port = freePort();
        Process process = new ProcessBuilder(BINARY.toString(), "-d", "0", "-f", config.toString(), "-h",
                "ldap://127.0.0.1:" + port + "/").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("slapd.log").toFile()).start();
        Slapd slapd = new Slapd(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (LDAPConnection probe = new LDAPConnection("127.0.0.1", port)) {
                return slapd;
            } catch (LDAPException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    slapd.close();
                    throw new IOException("slapd did not start; see " + dir.resolve("slapd.log"), e);
                }
                sleep(100);
            }
        }
    }

    static String config(Path dir, Path db) {
        return String.join("\n",
                "include " + SCHEMA.resolve("core.schema"),
                "include " + SCHEMA.resolve("cosine.schema"),
                "include " + SCHEMA.resolve("inetorgperson.schema"),
                "pidfile " + dir.resolve("slapd.pid"),
                "argsfile " + dir.resolve("slapd.args"),
                "modulepath " + MODULES,
                "moduleload back_mdb",
                "loglevel none",
                "database mdb",
                "maxsize 4294967296",
                "suffix \"" + BASE + "\"",
                "rootdn \"cn=admin," + BASE + "\"",
                "directory " + db,
                "index objectClass eq",
                "index mail eq",
                "access to * by * read",
                "");
    }

    static void writeLdif(Path file, List<Entry> entries) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(ldifBase());
            int n = 0;
            for (Entry entry : entries) {
                out.write(ldifEntry(n++, entry.email(), entry.certificateDer()));
            }
        }
    }

    /** The LDIF of the base entry, first in a file for {@link #start(Path, Path)}. */
    public static String ldifBase() {
        return "dn: " + BASE + "\nobjectClass: dcObject\nobjectClass: organization\no: pki\ndc: pki\n\n";
    }

    /** The LDIF of entry {@code n}, a person with one mailbox and its certificate. */
    public static String ldifEntry(long n, String email, byte[] certificateDer) {
        return "dn: uid=c" + n + "," + BASE + "\nobjectClass: inetOrgPerson\nuid: c" + n + "\ncn: " + email + "\nsn: "
                + email + "\nmail: " + email + "\nuserCertificate;binary:: "
                + Base64.getEncoder().encodeToString(certificateDer) + "\n\n";
    }

    /** Deletes {@code dir} and everything in it, e.g. a large database once measured; nothing when absent. */
    public static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
