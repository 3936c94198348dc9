package dev.smimepki.bench.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlapdConfigTest {

    @Test
    void configUsesMdbIndexedOnMailUnderTheGivenFolder(@TempDir Path dir) {
        String config = Slapd.config(dir, dir.resolve("db"));
        assertTrue(config.contains("database mdb"));
        assertTrue(config.contains("index mail eq"));
        assertTrue(config.contains("suffix \"dc=pki\""));
        assertTrue(config.contains("directory " + dir.resolve("db")));
        assertTrue(config.contains("inetorgperson.schema"));
    }

    @Test
    void ldifCarriesEachMailboxWithItsDerCertificate(@TempDir Path dir) throws Exception {
        byte[] der = {0x30, 0x03, 0x02, 0x01, 0x05};
        Path ldif = dir.resolve("e.ldif");
        Slapd.writeLdif(ldif, List.of(new Slapd.Entry("alice@bench.example", der),
                new Slapd.Entry("bob@bench.example", der)));
        String text = Files.readString(ldif);
        assertTrue(text.startsWith("dn: dc=pki\n"));
        assertTrue(text.contains("dn: uid=c1,dc=pki\nobjectClass: inetOrgPerson\n"));
        assertTrue(text.contains("mail: alice@bench.example\n"));
        assertTrue(text.contains("userCertificate;binary:: " + Base64.getEncoder().encodeToString(der) + "\n"));
    }
}
