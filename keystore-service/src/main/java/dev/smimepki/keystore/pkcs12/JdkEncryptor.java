package dev.smimepki.keystore.pkcs12;

import java.io.OutputStream;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OutputEncryptor;

/**
 * A PKCS#12 bag or safe encryptor whose key was derived elsewhere and whose cipher is the JDK's (CBC with PKCS#5
 * padding), for BouncyCastle's PKCS#12 builder: the one place both export profiles hand the JDK's cipher to it.
 */
final class JdkEncryptor implements OutputEncryptor {
    /** The JDK's own provider (every OpenJDK build has it): BouncyCastle is registered after it, never picked. */
    static final String JDK = "SunJCE";

    private final AlgorithmIdentifier algorithm;
    private final SecretKeySpec key;
    private final Cipher cipher;

    /**
     * @param algorithm what the file names (the PBE scheme with its salt, iterations and IV)
     * @param transformation the JDK cipher, e.g. {@code AES/CBC/PKCS5Padding}
     * @param key the derived key
     * @param iv the derived or drawn IV
     */
    JdkEncryptor(AlgorithmIdentifier algorithm, String transformation, SecretKeySpec key, byte[] iv)
            throws GeneralSecurityException {
        this.algorithm = algorithm;
        this.key = key;
        this.cipher = Cipher.getInstance(transformation, JDK);
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public OutputStream getOutputStream(OutputStream out) {
        return new CipherOutputStream(out, cipher);
    }

    @Override
    public GenericKey getKey() {
        return new GenericKey(algorithm, key.getEncoded());
    }
}
