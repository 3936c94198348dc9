package dev.smimepki.directory.ldap;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import javax.net.ServerSocketFactory;

/**
 * Server sockets whose accepted connections read through a {@link MessageFramingInputStream}: the only place the
 * UnboundID listener lets its connections' input be wrapped.
 */
final class MessageFramingServerSocketFactory extends ServerSocketFactory {
    private final int maxMessageBytes;

    /** @param maxMessageBytes the listener's limit on a message's value length, enforced before it is buffered */
    MessageFramingServerSocketFactory(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new FramingServerSocket(port, 0, null, maxMessageBytes);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return new FramingServerSocket(port, backlog, null, maxMessageBytes);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        return new FramingServerSocket(port, backlog, address, maxMessageBytes);
    }

    private static final class FramingServerSocket extends ServerSocket {
        private final int maxMessageBytes;

        FramingServerSocket(int port, int backlog, InetAddress address, int maxMessageBytes) throws IOException {
            super(port, backlog, address);
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public Socket accept() throws IOException {
            FramedSocket socket = new FramedSocket(maxMessageBytes);
            implAccept(socket);
            return socket;
        }
    }

    private static final class FramedSocket extends Socket {
        private final int maxMessageBytes;
        private InputStream framed;

        FramedSocket(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (framed == null) {
                framed = new MessageFramingInputStream(this, super.getInputStream(), maxMessageBytes);
            }
            return framed;
        }
    }
}
