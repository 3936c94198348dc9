package dev.smimepki.keystore.pkcs12;

import java.io.IOException;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** Whether a private key belongs to a public key: the public half is derived from the private one and compared. */
final class KeyPairCheck {
    private KeyPairCheck() {
    }

    static boolean matches(PrivateKeyInfo privateKeyInfo, SubjectPublicKeyInfo publicKeyInfo) {
        AsymmetricKeyParameter privateKey;
        AsymmetricKeyParameter publicKey;
        try {
            privateKey = PrivateKeyFactory.createKey(privateKeyInfo);
            publicKey = PublicKeyFactory.createKey(publicKeyInfo);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (privateKey instanceof RSAPrivateCrtKeyParameters rsa && publicKey instanceof RSAKeyParameters rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus())
                    && rsa.getPublicExponent().equals(rsaPublic.getExponent());
        }
        if (privateKey instanceof ECPrivateKeyParameters ec && publicKey instanceof ECPublicKeyParameters ecPublic) {
            if (!ec.getParameters().getCurve().equals(ecPublic.getParameters().getCurve())
                    || !ec.getParameters().getG().equals(ecPublic.getParameters().getG())) {
                return false;
            }
            return new FixedPointCombMultiplier().multiply(ec.getParameters().getG(), ec.getD()).normalize()
                    .equals(ecPublic.getQ().normalize());
        }
        return false;
    }
}
