package dev.smimepki.keystore.pkcs12;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.core.cert.CertificateChain;

/**
 * What a PKCS#12 file holds for one person: the private key, its certificate and the chain above it.
 *
 * @param privateKey the PKCS#8 private key
 * @param certificate the certificate of that key
 * @param chain the issuing CA up to the root as far as the file carries it, issuer first
 */
record Pkcs12Contents(PrivateKeyInfo privateKey, Certificate certificate, CertificateChain chain) {
}
