package dev.smimepki.keystore.pkcs12;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.pkcs.PKCS12MacCalculatorBuilder;

/**
 * The PKCS#12 MAC over the authenticated safe (RFC 7292 section 5.1): HMAC with the profile's digest, keyed by
 * {@link Pkcs12Kdf} with a salt as long as the digest, on the JDK.
 */
final class Pkcs12Mac {

    private Pkcs12Mac() {
    }

    static PKCS12MacCalculatorBuilder builder(ExportProfile profile, int iterations, SecureRandom random) {
        String hmac = profile.hmacName();
        int keyBytes = profile.macBytes();
        AlgorithmIdentifier digestAlgorithm = new AlgorithmIdentifier(profile.macDigest(), DERNull.INSTANCE);
        return new PKCS12MacCalculatorBuilder() {
            @Override
            public AlgorithmIdentifier getDigestAlgorithmIdentifier() {
                return digestAlgorithm;
            }

            @Override
            public MacCalculator build(char[] password) {
                byte[] salt = new byte[keyBytes];
                random.nextBytes(salt);
                byte[] key = Pkcs12Kdf
                        .derive(profile.macDigestName(), Pkcs12Kdf.MAC, password, salt, iterations, keyBytes).bytes();
                ByteArrayOutputStream authenticated = new ByteArrayOutputStream();
                AlgorithmIdentifier algorithm = new AlgorithmIdentifier(profile.macDigest(),
                        new PKCS12PBEParams(salt, iterations));
                return new MacCalculator() {
                    @Override
                    public AlgorithmIdentifier getAlgorithmIdentifier() {
                        return algorithm;
                    }

                    @Override
                    public OutputStream getOutputStream() {
                        return authenticated;
                    }

                    @Override
                    public byte[] getMac() {
                        try {
                            Mac mac = Mac.getInstance(hmac, JdkEncryptor.JDK);
                            mac.init(new SecretKeySpec(key, hmac));
                            return mac.doFinal(authenticated.toByteArray());
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException(hmac + " is not available", e);
                        }
                    }

                    @Override
                    public GenericKey getKey() {
                        return new GenericKey(algorithm, key.clone());
                    }
                };
            }
        };
    }
}
