package dev.smimepki.bench.limits;

import java.io.OutputStream;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.smimepki.bench.BenchAlgorithms.Impl;
import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.policy.KeyAlgorithm;

/**
 * The bare streaming limit of S/MIME: BouncyCastle's CMS stream generators (signed data inside enveloped data, as
 * sign-then-encrypt) over a message that is never held in memory, in a 32 MiB heap (16 MiB is too little for the JVM to verify the signed BouncyCastle jar). The content is streamed from one
 * 64 KiB buffer to a null sink, so the figure is the crypto plus the ASN.1 framing, no MIME, no base64, no I/O.
 * {@code PICKED} uses the JDK for the digest and the cipher (faster there) and BouncyCastle for the signature;
 * {@code BC} does everything in BouncyCastle. The recipient uses RSA key transport: one operation per message.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "-Xmx32m")
public class CmsStreamingBenchmark {
    public enum Operation {
        SIGN,
        ENCRYPT,
        SIGN_AND_ENCRYPT
    }

    @Param({"100000000", "10000"})
    public int size;

    @Param({"SIGN_AND_ENCRYPT", "SIGN", "ENCRYPT"})
    public String operation;

    @Param({"PICKED", "BC"})
    public String cmsImpl;

    private final byte[] chunk = new byte[64 * 1024];
    private Operation op;
    private KeyPair signerKey;
    private X509Certificate signerCertificate;
    private X509Certificate recipientCertificate;
    private DigestCalculatorProvider digests;
    private boolean allBc;

    @Setup
    public void setUp() throws Exception {
        new SecureRandom().nextBytes(chunk);
        op = Operation.valueOf(operation);
        allBc = cmsImpl.equals("BC");
        signerKey = LimitFixtures.keyPair(KeyAlgorithm.EC_P256);
        signerCertificate = LimitFixtures.selfSigned(KeyAlgorithm.EC_P256, signerKey, "alice@bench.example", false);
        KeyPair recipient = LimitFixtures.keyPair(KeyAlgorithm.RSA_2048);
        recipientCertificate = LimitFixtures.selfSigned(KeyAlgorithm.RSA_2048, recipient, "bob@bench.example", false);
        JcaDigestCalculatorProviderBuilder digestBuilder = new JcaDigestCalculatorProviderBuilder();
        if (allBc) {
            digestBuilder.setProvider(BouncyCastle.provider());
        }
        digests = digestBuilder.build();
    }

    @Benchmark
    public long stream() throws Exception {
        CountingSink sink = new CountingSink();
        try (OutputStream out = open(sink)) {
            for (long left = size; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        return sink.count;
    }

    private OutputStream open(OutputStream sink) throws Exception {
        return switch (op) {
            case SIGN -> sign(sink);
            case ENCRYPT -> encrypt(sink);
            case SIGN_AND_ENCRYPT -> signThenEncrypt(sink);
        };
    }

    /** Closing the signed stream alone would leave the enveloped one open: close both, signed first. */
    private OutputStream signThenEncrypt(OutputStream sink) throws Exception {
        OutputStream enveloped = encrypt(sink);
        return new ChainedStream(sign(enveloped), enveloped);
    }

    private OutputStream sign(OutputStream target) throws Exception {
        CMSSignedDataStreamGenerator generator = new CMSSignedDataStreamGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests).build(
                LimitFixtures.signer(KeyAlgorithm.EC_P256, signerKey.getPrivate(), Impl.BC), signerCertificate));
        generator.addCertificate(new JcaX509CertificateHolder(signerCertificate));
        return generator.open(target, true);
    }

    private OutputStream encrypt(OutputStream target) throws Exception {
        CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
        JceKeyTransRecipientInfoGenerator recipient = new JceKeyTransRecipientInfoGenerator(recipientCertificate);
        JceCMSContentEncryptorBuilder encryptor = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC);
        if (allBc) {
            recipient.setProvider(BouncyCastle.provider());
            encryptor.setProvider(BouncyCastle.provider());
        }
        generator.addRecipientInfoGenerator(recipient);
        OutputEncryptor built = encryptor.build();
        return generator.open(target, built);
    }

    /** Counts what would go on the wire, so the JIT cannot drop the work. */
    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Writes to the first stream; closes the first, then the second. */
    private static final class ChainedStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        ChainedStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
        }

        @Override
        public void close() throws java.io.IOException {
            first.close();
            second.close();
        }
    }
}
