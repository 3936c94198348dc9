package dev.smimepki.core.testpki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;

/**
 * An end-entity certificate issued by {@link TestPki}, with its key and its chain.
 *
 * @param keyPair the subject's key pair
 * @param certificate the end-entity certificate
 * @param chain issuing CA, then root
 */
public record EndEntity(KeyPair keyPair, Certificate certificate, CertificateChain chain) {

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** PKCS#8, unencrypted: test keys only. */
    public String privateKeyPem() {
        return Pem.encode(PemType.PRIVATE_KEY, keyPair.getPrivate().getEncoded());
    }

    /** The certificate followed by its chain, as a PKCS#12 or a signed message carries them. */
    public CertificateChain fullChain() {
        List<Certificate> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(chain.certificates());
        return new CertificateChain(all);
    }

    /** Writes {@code NAME.pem}, {@code NAME.key.pem} and {@code NAME.chain.pem} (issuing CA, root) into dir. */
    public PemFiles writeTo(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            return new PemFiles(
                    Files.writeString(dir.resolve(name + ".pem"), certificate.pem()),
                    Files.writeString(dir.resolve(name + ".key.pem"), privateKeyPem()),
                    Files.writeString(dir.resolve(name + ".chain.pem"), chain.pem()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where {@link #writeTo} put the PEM files.
     *
     * @param certificate the end-entity certificate
     * @param privateKey the PKCS#8 private key
     * @param chain issuing CA then root
     */
    public record PemFiles(Path certificate, Path privateKey, Path chain) {
    }
}
