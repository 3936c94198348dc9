package dev.smimepki.crypto.verification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.smimepki.core.PkiException;
import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.crypto.CryptoConfig;

/**
 * The root certificates verification trusts: the roots of this platform's CAs (from ca-service) and those in the
 * configured PEM files, which are re-read when they change.
 */
@ApplicationScoped
public class TrustAnchors {
    private static final Logger LOG = Logger.getLogger(TrustAnchors.class);

    private static final java.time.Duration RECENT = java.time.Duration.ofSeconds(5);

    private final List<Path> files;
    private final PlatformRoots platformRoots;
    private final Map<Path, Loaded> loaded = new ConcurrentHashMap<>();

    TrustAnchors(CryptoConfig config, PlatformRoots platformRoots) {
        this.files = config.trustAnchors().orElse(List.of());
        this.platformRoots = platformRoots;
    }

    public Collection<Certificate> current() {
        List<Certificate> anchors = new ArrayList<>(platformRoots.current());
        for (Path file : files) {
            anchors.addAll(load(file));
        }
        return anchors;
    }

    /** Re-reads the platform's roots unless that happened in the last seconds; true when they changed. */
    public boolean refresh() {
        return platformRoots.refreshIfOlderThan(RECENT);
    }

    private List<Certificate> load(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Loaded cached = loaded.get(file);
            if (cached != null && cached.modified().equals(modified)) {
                return cached.certificates();
            }
            List<Certificate> certificates = CertificateChain.fromPem(Files.readString(file)).certificates();
            loaded.put(file, new Loaded(modified, certificates));
            return certificates;
        } catch (IOException | PkiException e) {
            LOG.warnf("trust anchor file %s cannot be read: %s", file, e.getMessage());
            return List.of();
        }
    }

    private record Loaded(FileTime modified, List<Certificate> certificates) {
    }
}
