package dev.smimepki.bench.platform;

import java.io.IOException;
import java.io.StringWriter;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;

/** PKCS#10 requests made before a scenario starts, so the driver's key generation never slows the measurement. */
public final class Csrs {
    private Csrs() {
    }

    /** {@code count} CSRs, each with its own EC P-256 key (the subscriber key a mail client would make). */
    public static List<String> ecP256(int count) throws Exception {
        List<String> pems = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pems.add(pem(KeyAlgorithm.EC_P256, KeyPairs.generate(KeyAlgorithm.EC_P256), "bench-" + i));
        }
        return pems;
    }

    static String pem(KeyAlgorithm algorithm, KeyPair keyPair, String cn) throws Exception {
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn),
                keyPair.getPublic()).build(
                        new JcaContentSignerBuilder(AlgorithmPolicy.signatureAlgorithm(algorithm))
                                .setProvider(BouncyCastle.provider()).build(keyPair.getPrivate()));
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(csr);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }
}
