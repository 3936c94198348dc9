package dev.smimepki.keystore.operations;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * How CMS names a recipient certificate (RFC 5652 section 6.2.1): issuer and serial number, or subject key
 * identifier. One per certificate bound to a key.
 *
 * @param issuer the certificate's issuer
 * @param serial its serial number
 * @param subjectKeyIdentifier its subjectKeyIdentifier extension, null when absent
 */
record RecipientIdentity(X500Name issuer, BigInteger serial, byte[] subjectKeyIdentifier) {

    boolean matches(IssuerAndSerialNumber issuerAndSerial) {
        return issuerAndSerial != null && issuer.equals(issuerAndSerial.getName())
                && serial.equals(issuerAndSerial.getSerialNumber().getValue());
    }

    boolean matches(byte[] keyIdentifier) {
        return subjectKeyIdentifier != null && keyIdentifier != null
                && Arrays.equals(subjectKeyIdentifier, keyIdentifier);
    }
}
