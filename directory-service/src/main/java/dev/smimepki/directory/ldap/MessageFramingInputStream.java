package dev.smimepki.directory.ldap;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import org.jboss.logging.Logger;

import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1Exception;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.sdk.LDAPException;

/**
 * A client connection's input as the listener's decoder sees it: one whole, already decoded LDAPMessage at a time.
 * UnboundID's stream decoder does not stop at the end of the outer element, so a complete but malformed message
 * ({@code 30 00}, an empty SEQUENCE) left it waiting forever for bytes the client never sends. Reading each message by
 * its outer length and decoding it before the listener does turns such a message into a
 * {@link MalformedMessageException} as soon as it has arrived.
 */
final class MessageFramingInputStream extends InputStream {
    /**
     * How long a client may take to send the rest of a message once its first byte has arrived. Clients write a
     * request in one go, so this only ends connections that stopped mid-message. Between messages a connection may
     * stay idle ({@code pki.directory.ldap.max-connections} bounds them).
     */
    static final Duration MESSAGE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(MessageFramingInputStream.class);
    /** The universal, constructed SEQUENCE tag an LDAPMessage starts with (RFC 4511 section 4.1.1). */
    private static final int SEQUENCE = 0x30;
    private static final int LONG_LENGTH = 0x80;
    private static final int MAX_LENGTH_BYTES = 4;
    private static final int MAX_HEADER_BYTES = 2 + MAX_LENGTH_BYTES;
    /** Buffers grow as bytes arrive, so a claimed length costs nothing until it is actually sent. */
    private static final int INITIAL_BUFFER_BYTES = 8192;
    private static final byte[] NO_MESSAGE = new byte[0];

    private final Socket socket;
    private final InputStream in;
    private final int maxMessageBytes;
    private byte[] message = NO_MESSAGE;
    private int position;

    MessageFramingInputStream(Socket socket, InputStream in, int maxMessageBytes) {
        this.socket = socket;
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public int read() throws IOException {
        return hasRemaining() ? message[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (!hasRemaining()) {
            return -1;
        }
        int count = Math.min(length, message.length - position);
        System.arraycopy(message, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public int available() {
        return message.length - position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Whether bytes are left of the current message or a next one has arrived; false at the end of the stream. */
    private boolean hasRemaining() throws IOException {
        if (position < message.length) {
            return true;
        }
        message = NO_MESSAGE;
        position = 0;
        socket.setSoTimeout(0);
        int tag = in.read();
        if (tag < 0) {
            return false;
        }
        message = readMessage(tag, System.nanoTime() + MESSAGE_TIMEOUT.toNanos());
        return true;
    }

    /** The whole message whose tag has been read: header, value and all, checked to decode. */
    private byte[] readMessage(int tag, long deadline) throws IOException {
        if (tag != SEQUENCE) {
            throw new MalformedMessageException("an LDAPMessage is a SEQUENCE (tag 30), not tag "
                    + String.format("%02x", tag));
        }
        byte[] header = new byte[MAX_HEADER_BYTES];
        header[0] = (byte) tag;
        int headerLength = 1;
        int first = readByte(deadline);
        header[headerLength++] = (byte) first;
        long valueLength = first;
        if (first >= LONG_LENGTH) {
            int lengthBytes = first & ~LONG_LENGTH;
            if (lengthBytes == 0) {
                // RFC 4511 section 5.1: only the definite form of length encoding is used
                throw new MalformedMessageException("indefinite lengths are not allowed in LDAP");
            }
            if (lengthBytes > MAX_LENGTH_BYTES) {
                throw new MalformedMessageException("the message length does not fit in four bytes");
            }
            valueLength = 0;
            for (int i = 0; i < lengthBytes; i++) {
                int next = readByte(deadline);
                header[headerLength++] = (byte) next;
                valueLength = valueLength << 8 | next;
            }
        }
        if (valueLength > maxMessageBytes) {
            throw new MalformedMessageException("a message may be at most " + maxMessageBytes + " bytes long");
        }
        int total = headerLength + (int) valueLength;
        byte[] whole = Arrays.copyOf(header, Math.min(total, headerLength + INITIAL_BUFFER_BYTES));
        int filled = headerLength;
        while (filled < total) {
            if (filled == whole.length) {
                whole = Arrays.copyOf(whole, (int) Math.min(total, 2L * whole.length));
            }
            filled += readBefore(deadline, whole, filled, whole.length - filled);
        }
        checkDecodes(whole);
        return whole;
    }

    /** RFC 4511 section 4.1.1: a message whose structure or field lengths are wrong is a protocolError. */
    private static void checkDecodes(byte[] whole) throws MalformedMessageException {
        try {
            LDAPMessage.decode(ASN1Element.decode(whole));
        } catch (ASN1Exception | LDAPException e) {
            LOG.debugf("undecodable LDAP message: %s", e.getMessage());
            throw new MalformedMessageException("the LDAPMessage cannot be decoded", e);
        }
    }

    private int readByte(long deadline) throws IOException {
        byte[] one = new byte[1];
        readBefore(deadline, one, 0, 1);
        return one[0] & 0xff;
    }

    /** Reads at least one byte, failing once the message's deadline has passed. */
    private int readBefore(long deadline, byte[] buffer, int offset, int length) throws IOException {
        long remainingMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (remainingMillis <= 0) {
            throw incomplete(null);
        }
        socket.setSoTimeout((int) remainingMillis);
        int count;
        try {
            count = in.read(buffer, offset, length);
        } catch (SocketTimeoutException e) {
            throw incomplete(e);
        }
        if (count < 0) {
            throw new MalformedMessageException("the connection ended in the middle of an LDAPMessage");
        }
        return count;
    }

    private static MalformedMessageException incomplete(SocketTimeoutException cause) {
        return new MalformedMessageException("the rest of the LDAPMessage did not arrive within "
                + MESSAGE_TIMEOUT.toSeconds() + " s", cause);
    }
}
