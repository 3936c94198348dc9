package dev.smimepki.directory.ldap;

import java.io.IOException;
import java.net.Socket;

import org.jboss.logging.Logger;

import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.listener.LDAPListenerExceptionHandler;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.extensions.NoticeOfDisconnectionExtendedResult;

/**
 * Ends a connection that sent a malformed message the way RFC 4511 section 4.1.1 asks: a Notice of Disconnection with
 * resultCode protocolError, then close. Left alone, the listener would send the client-side code it decoded the
 * problem with (decodingError or serverDown).
 */
final class NoticeOfDisconnection implements LDAPListenerExceptionHandler {
    private static final Logger LOG = Logger.getLogger(NoticeOfDisconnection.class);
    private static final String MALFORMED = "malformed LDAPMessage";

    @Override
    public void connectionCreationFailure(Socket socket, Throwable cause) {
        LOG.debugf("cannot set up an LDAP connection: %s", cause.toString());
    }

    @Override
    public void connectionTerminated(LDAPListenerClientConnection connection, LDAPException cause) {
        LOG.debugf("LDAP connection %d from %s ended: %s", connection.getConnectionID(),
                connection.getSocket().getRemoteSocketAddress(), cause.getMessage());
        String diagnostic;
        if (cause.getCause() instanceof MalformedMessageException malformed) {
            diagnostic = malformed.getMessage();
        } else if (cause.getResultCode() == ResultCode.DECODING_ERROR) {
            diagnostic = MALFORMED;
        } else {
            return; // the listener's own notice fits: the client went away, or it already said protocolError
        }
        try {
            connection.sendUnsolicitedNotification(
                    new NoticeOfDisconnectionExtendedResult(ResultCode.PROTOCOL_ERROR, diagnostic));
        } catch (LDAPException e) {
            LOG.debugf("cannot send the notice of disconnection: %s", e.getMessage());
        }
        try {
            connection.close(); // before the listener sends its notice, which then finds the connection closed
        } catch (IOException e) {
            LOG.debugf("cannot close the LDAP connection: %s", e.getMessage());
        }
    }
}
