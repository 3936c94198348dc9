package dev.smimepki.directory.ldap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.unboundid.ldap.listener.LDAPListener;
import com.unboundid.ldap.listener.LDAPListenerConfig;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.smimepki.directory.DirectoryConfig;
import dev.smimepki.directory.lookup.DirectoryLookup;

/**
 * The read-only LDAP directory (base {@code dc=pki}) that Thunderbird and Outlook query for recipients'
 * certificates, served from the database on every search, started and stopped with the application.
 */
@ApplicationScoped
public class LdapDirectoryServer {
    private static final Logger LOG = Logger.getLogger(LdapDirectoryServer.class);

    private final DirectoryConfig.Ldap config;
    private final DirectoryLookup lookup;
    private volatile LDAPListener listener;

    LdapDirectoryServer(DirectoryConfig config, DirectoryLookup lookup) {
        this.config = config.ldap();
        this.lookup = lookup;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("LDAP directory disabled");
            return;
        }
        LDAPListenerConfig listenerConfig = new LDAPListenerConfig(config.port(),
                new LdapRequestHandler(lookup, config));
        listenerConfig.setMaxConnections(config.maxConnections());
        listenerConfig.setServerSocketFactory(
                new MessageFramingServerSocketFactory(listenerConfig.getMaxMessageSizeBytes()));
        listenerConfig.setExceptionHandler(new NoticeOfDisconnection());
        try {
            listenerConfig.setListenAddress(InetAddress.getByName(config.host()));
            LDAPListener started = new LDAPListener(listenerConfig);
            started.startListening();
            listener = started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for LDAP on " + config.host() + ":" + config.port(), e);
        }
        LOG.infof("LDAP directory listening on %s:%d, base %s", config.host(), listener.getListenPort(),
                LdapRequestHandler.BASE_DN);
    }

    void stop(@Observes ShutdownEvent event) {
        LDAPListener running = listener;
        if (running != null) {
            running.shutDown(true);
            listener = null;
        }
    }

    /** The port actually listened on (tests configure port 0); -1 when not listening. */
    public int port() {
        LDAPListener running = listener;
        return running == null ? -1 : running.getListenPort();
    }
}
