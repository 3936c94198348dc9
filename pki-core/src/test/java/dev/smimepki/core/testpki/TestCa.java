package dev.smimepki.core.testpki;

import java.security.KeyPair;
import java.security.PrivateKey;

import dev.smimepki.core.cert.Certificate;

/**
 * A test CA: its certificate and key pair.
 *
 * @param certificate the CA certificate
 * @param keyPair the CA key pair
 */
public record TestCa(Certificate certificate, KeyPair keyPair) {

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }
}
