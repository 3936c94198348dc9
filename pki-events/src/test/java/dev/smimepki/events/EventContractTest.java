package dev.smimepki.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Golden files pin the wire format: renaming or retyping a field fails here before it breaks a consumer. */
class EventContractTest {
    private static final ObjectMapper TREE = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            "certificate-issued.json, CERTIFICATE_ISSUED",
            "certificate-issued-from-csr.json, CERTIFICATE_ISSUED",
            "certificate-revoked.json, CERTIFICATE_REVOKED",
            "certificate-harvested.json, CERTIFICATE_HARVESTED"})
    void goldenBodiesRoundTripUnchanged(String file, EventType type) throws IOException {
        byte[] golden = golden(file);
        PkiEvent event = EventJson.read(golden, type);
        assertEquals(TREE.readTree(golden), TREE.readTree(EventJson.write(event)), file);
        assertEquals(type, EventType.of(event));
    }

    @Test
    void issuedFieldsAreReadAsTyped() throws IOException {
        CertificateIssued issued = EventJson.read(golden("certificate-issued.json"), CertificateIssued.class);
        assertEquals(List.of("alice@example.com", "a.smith@example.com"), issued.emails());
        assertEquals(Instant.parse("2026-11-01T10:00:00Z"), issued.notBefore());
        assertEquals("7f3e2a10-5b6c-4d8e-9f01-23456789abcd", issued.keyId());
    }

    @Test
    void absentOptionalFieldsStayAbsent() throws IOException {
        JsonNode written = TREE.readTree(EventJson.write(
                EventJson.read(golden("certificate-issued-from-csr.json"), CertificateIssued.class)));
        assertTrue(written.path("keyId").isMissingNode(), "keyId must be omitted, not null");
    }

    @Test
    void consumersTolerateFieldsAddedByNewerProducers() {
        String extended = """
                {"fingerprintSha256":"ab","serial":"1","caId":"c","reason":"superseded",
                 "revokedAt":"2026-11-20T08:30:15Z","addedLater":42}""";
        CertificateRevoked revoked = EventJson.read(extended.getBytes(StandardCharsets.UTF_8),
                CertificateRevoked.class);
        assertEquals("superseded", revoked.reason());
    }

    @Test
    void malformedBodyIsIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventJson.read("{\"signatureValid\":".getBytes(StandardCharsets.UTF_8),
                        CertificateHarvested.class));
        assertTrue(e.getMessage().startsWith("malformed CertificateHarvested event body"), e.getMessage());
    }

    @Test
    void typeNamesAndTopicsAreTheContract() {
        assertEquals("pki.certificate.issued.v1", EventType.CERTIFICATE_ISSUED.ceType());
        assertEquals("pki.certificate.revoked.v1", EventType.CERTIFICATE_REVOKED.ceType());
        assertEquals("pki.certificate.harvested.v1", EventType.CERTIFICATE_HARVESTED.ceType());
        assertEquals("pki.certificates", EventType.CERTIFICATE_REVOKED.topic());
        assertEquals("pki.harvest", EventType.CERTIFICATE_HARVESTED.topic());
        assertEquals(EventType.CERTIFICATE_REVOKED, EventType.ofCeType("pki.certificate.revoked.v1").orElseThrow());
        assertTrue(EventType.ofCeType("pki.certificate.issued.v2").isEmpty());
    }

    private static byte[] golden(String file) throws IOException {
        try (InputStream in = EventContractTest.class.getResourceAsStream("/golden/" + file)) {
            return in.readAllBytes();
        }
    }
}
