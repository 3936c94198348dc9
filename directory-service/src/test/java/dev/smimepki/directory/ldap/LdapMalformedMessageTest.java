package dev.smimepki.directory.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.unboundid.asn1.ASN1Element;
import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.extensions.NoticeOfDisconnectionExtendedResult;

import io.quarkus.test.junit.QuarkusTest;

/** A client sending what is not an LDAPMessage is told protocolError and disconnected (RFC 4511 section 4.1.1). */
@QuarkusTest
class LdapMalformedMessageTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    @Inject
    LdapDirectoryServer server;

    @ParameterizedTest
    @ValueSource(strings = {"3000", "3103020101", "020101", "04026162", "3003040101", "3005020101a000",
            "30840fffffff", "3080020101", "0a0a0a0a0a"})
    void malformedMessageIsAnsweredWithProtocolErrorAndDisconnected(String hex) throws Exception {
        byte[] answer = sendAndAwaitClose(HexFormat.of().parseHex(hex), PROMPTLY);

        ExtendedResponseProtocolOp notice = LDAPMessage.decode(ASN1Element.decode(answer))
                .getExtendedResponseProtocolOp();
        assertEquals(NoticeOfDisconnectionExtendedResult.NOTICE_OF_DISCONNECTION_RESULT_OID, notice.getResponseOID());
        assertEquals(ResultCode.PROTOCOL_ERROR_INT_VALUE, notice.getResultCode(), notice.getDiagnosticMessage());
        assertSearchStillWorks();
    }

    @Test
    void incompleteMessageIsDisconnectedOnceItsTimeIsUp() throws Exception {
        byte[] answer = sendAndAwaitClose(HexFormat.of().parseHex("300c0201"),
                MessageFramingInputStream.MESSAGE_TIMEOUT.plus(PROMPTLY));

        assertEquals(ResultCode.PROTOCOL_ERROR_INT_VALUE, LDAPMessage.decode(ASN1Element.decode(answer))
                .getExtendedResponseProtocolOp().getResultCode());
        assertSearchStillWorks();
    }

    /** What the server sent before closing the connection, which it must do within the time given. */
    private byte[] sendAndAwaitClose(byte[] request, Duration within) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) within.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[512];
            try {
                for (int count = in.read(buffer); count >= 0; count = in.read(buffer)) {
                    received.write(buffer, 0, count);
                }
            } catch (SocketTimeoutException e) {
                fail("the server kept the connection open for " + within.toSeconds() + " s; it sent "
                        + HexFormat.of().formatHex(received.toByteArray()));
            } catch (SocketException e) {
                // reset: closed with bytes of the request unread, after the notice (already received)
            }
            return received.toByteArray();
        }
    }

    private void assertSearchStillWorks() {
        Ldapsearch.Result result = Ldapsearch.search(server.port(), "(mail=nobody@example.com)");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.dns().isEmpty(), result.output());
    }
}
