package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class FormattingTest {

    @Test
    void tablesAlignColumnsAndShowMissingCellsAsDash() {
        String table = new Table("ID", "NAME", "SUBJECT").row("1", "Root", "CN=Root").row("22222", null,
                "CN=Issuing").render();
        List<String> lines = table.lines().toList();
        assertEquals(List.of("ID     NAME  SUBJECT", "1      Root  CN=Root", "22222  -     CN=Issuing"), lines);
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }

    @Test
    void fieldsAlignNames() {
        assertEquals(List.of("id:      7", "subject: CN=x", "issuer:  -"), Table.fields("id", "7", "subject", "CN=x",
                "issuer", null).lines().toList());
    }

    @Test
    void headersArePeekedWithoutConsumingTheMessage() throws Exception {
        String message = "Received: x\r\nFrom: \"Alice, A.\"\r\n <alice@example.com>\r\nTo: bob@example.com,"
                + " carol@example.com\r\nContent-Type: text/plain;\r\n charset=UTF-8\r\n\r\nFrom: mallory@evil\r\n";
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(message.getBytes(
                StandardCharsets.US_ASCII)), MessageHeaders.PEEK_LIMIT);
        MessageHeaders headers = MessageHeaders.peek(in);
        assertEquals(Optional.of("alice@example.com"), headers.firstAddress("from"), "folded header unfolded");
        assertEquals(Optional.of("bob@example.com"), headers.firstAddress("To"));
        assertEquals(Optional.of("text/plain; charset=UTF-8"), headers.value("Content-Type"));
        assertEquals(Optional.empty(), headers.firstAddress("Cc"));
        assertEquals(message, new String(in.readAllBytes(), StandardCharsets.US_ASCII), "the whole message is sent");
    }

    @Test
    void theBodyIsNotTakenForHeaders() {
        MessageHeaders headers = MessageHeaders.parse("Subject: x\n\nFrom: mallory@evil.example\n");
        assertEquals(Optional.empty(), headers.firstAddress("From"));
    }

    @Test
    void aProblemBecomesOneMessageWithEachFailedCheckAndAMeaningfulExitCode() {
        byte[] problem = ("{\"type\":\"about:blank\",\"title\":\"Unprocessable\",\"status\":422,\"detail\":\"the"
                + " recipients have no usable certificate\",\"errors\":[{\"field\":\"bob@example.com\",\"check\":\"x\","
                + "\"message\":\"revoked\"}]}").getBytes(StandardCharsets.UTF_8);
        CommandFailure refused = PlatformClient.failure(PlatformService.CRYPTO, "encrypt the message",
                new PlatformClient.Answer(422, "application/problem+json", problem));
        assertEquals(ExitCode.ERROR, refused.exitCode());
        assertEquals("crypto-service refused to encrypt the message (HTTP 422): the recipients have no usable"
                + " certificate\n  - bob@example.com: revoked", refused.getMessage());

        CommandFailure notFound = PlatformClient.failure(PlatformService.CA, "revoke 01",
                new PlatformClient.Answer(404, "application/problem+json", "{\"detail\":\"no certificate 01\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals(3, notFound.exitCode());
        assertFalse(notFound.getMessage().contains("does not offer it"), "a known route that found nothing");

        CommandFailure unavailable = PlatformClient.failure(PlatformService.CRYPTO, "encrypt the message",
                new PlatformClient.Answer(503, "application/problem+json", "{\"detail\":\"directory down\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals(ExitCode.UNREACHABLE, unavailable.exitCode());

        CommandFailure missing = PlatformClient.failure(PlatformService.CRYPTO, "decrypt the message",
                new PlatformClient.Answer(501, "text/plain", "Not Implemented".getBytes(StandardCharsets.UTF_8)));
        assertTrue(missing.getMessage().contains("does not offer it"), missing.getMessage());
    }
}
