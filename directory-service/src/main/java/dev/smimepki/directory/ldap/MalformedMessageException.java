package dev.smimepki.directory.ldap;

import java.io.IOException;

/**
 * A client sent something that is not a whole, decodable LDAPMessage; the connection is ended with protocolError (RFC
 * 4511 section 4.1.1). The message is public: it becomes the Notice of Disconnection's diagnostic message.
 */
final class MalformedMessageException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedMessageException(String publicMessage) {
        super(publicMessage);
    }

    MalformedMessageException(String publicMessage, Throwable cause) {
        super(publicMessage, cause);
    }
}
