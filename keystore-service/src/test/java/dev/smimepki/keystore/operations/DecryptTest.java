package dev.smimepki.keystore.operations;

import static dev.smimepki.keystore.KeystoreApi.as;
import static dev.smimepki.keystore.KeystoreApi.service;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKEKRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;
import dev.smimepki.core.testpki.EndEntity;
import dev.smimepki.core.testpki.OpenSsl;
import dev.smimepki.core.testpki.TestPki;
import dev.smimepki.keystore.CertificateEvents;
import dev.smimepki.keystore.KeystoreApi;
import dev.smimepki.runtime.test.TestTokens;

/**
 * Content-encryption keys recovered from CMS messages made by BouncyCastle and by {@code openssl cms -encrypt}; the
 * recovered key must decrypt the message's content back to the plaintext.
 */
@QuarkusTest
class DecryptTest {
    private static final byte[] PLAINTEXT = "Content-Type: text/plain\r\n\r\nOnly for the key holder.\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static CertificateEvents events;
    private static EndEntity rsa;
    private static EndEntity ec;
    private static EndEntity ec384;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        events = new CertificateEvents();
    }

    /** Once per class, but after Quarkus has set RestAssured's port, which a static BeforeAll precedes. */
    @BeforeEach
    void keys() {
        if (rsa != null) {
            return;
        }
        rsa = KeystoreApi.generateAndBind(events, KeyAlgorithm.RSA_2048, "rsa.reader@example.org");
        ec = KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P256, "ec.reader@example.org");
        ec384 = KeystoreApi.generateAndBind(events, KeyAlgorithm.EC_P384, "ec384.reader@example.org");
    }

    @AfterAll
    static void disconnect() {
        events.close();
    }

    @Test
    void rsaPkcs1KeyTransportByIssuerAndSerialFromBouncyCastle() throws Exception {
        assertRecovers(rsa, bouncyCastle(new JceKeyTransRecipientInfoGenerator(rsa.certificate().x509())
                .setProvider(BouncyCastle.provider())));
    }

    @Test
    void rsaPkcs1KeyTransportBySubjectKeyIdentifierFromBouncyCastle() throws Exception {
        assertRecovers(rsa, bouncyCastle(new JceKeyTransRecipientInfoGenerator(
                rsa.certificate().subjectKeyIdentifier().orElseThrow(), rsa.certificate().publicKey())
                .setProvider(BouncyCastle.provider())));
    }

    @Test
    void rsaOaepKeyTransportFromBouncyCastle() throws Exception {
        OAEPParameterSpec sha256 = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                PSource.PSpecified.DEFAULT);
        assertRecovers(rsa, bouncyCastle(new JceKeyTransRecipientInfoGenerator(rsa.certificate().x509(),
                new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
                        sha256))
                .setProvider(BouncyCastle.provider())));
    }

    @Test
    void ecdhEphemeralStaticFromBouncyCastle() throws Exception {
        for (EndEntity recipient : List.of(ec, ec384)) {
            KeyPair ephemeral = KeyPairs.generate(KeyAlgorithm.of(recipient.certificate().publicKey()));
            assertRecovers(recipient, bouncyCastle(new JceKeyAgreeRecipientInfoGenerator(
                    CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(), ephemeral.getPublic(),
                    CMSAlgorithm.AES256_WRAP).addRecipient(recipient.certificate().x509())
                    .setProvider(BouncyCastle.provider())));
        }
    }

    @Test
    void rsaPkcs1FromOpenssl() throws Exception {
        assertRecovers(rsa, openssl(rsa, "rsaEncryption"));
    }

    @Test
    void rsaOaepFromOpenssl() throws Exception {
        assertRecovers(rsa,
                openssl(rsa, "rsaesOaep", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"));
    }

    @Test
    void ecdhFromOpenssl() throws Exception {
        assertRecovers(ec, openssl(ec, "dhSinglePass-stdDH-sha1kdf-scheme"));
        assertRecovers(ec, openssl(ec, "dhSinglePass-stdDH-sha256kdf-scheme", "-keyopt", "ecdh_kdf_md:sha256"));
        assertRecovers(ec384, openssl(ec384, "dhSinglePass-stdDH-sha384kdf-scheme", "-keyopt", "ecdh_kdf_md:sha384"));
    }

    @Test
    void recipientInfoForAnotherCertificateIsRefused() throws Exception {
        EndEntity stranger = TestPki.shared().issue("stranger@example.org");
        EnvelopedData message = bouncyCastle(new JceKeyTransRecipientInfoGenerator(stranger.certificate().x509())
                .setProvider(BouncyCastle.provider()));
        decrypt(KeystoreApi.keyIdOf(rsa), message, 0).statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("recipient-not-this-key"));
        // an EC recipient info sent to an RSA key
        KeyPair ephemeral = KeyPairs.generate(KeyAlgorithm.EC_P256);
        EnvelopedData forEc = bouncyCastle(new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                .addRecipient(ec.certificate().x509()).setProvider(BouncyCastle.provider()));
        decrypt(KeystoreApi.keyIdOf(rsa), forEc, 0).statusCode(422).body("code", equalTo("recipient-not-this-key"));
    }

    @Test
    void unsupportedOrDamagedRecipientInfosAreRefused() throws Exception {
        EnvelopedData password = bouncyCastle(new JceKEKRecipientInfoGenerator(new byte[]{1, 2, 3},
                new SecretKeySpec(new byte[32], "AES")).setProvider(BouncyCastle.provider()));
        decrypt(KeystoreApi.keyIdOf(rsa), password, 0).statusCode(422).body("code",
                equalTo("recipient-info-unusable"));

        // the encrypted key damaged: the unwrap fails (OAEP detects it; PKCS#1 v1.5 may not, see below)
        OAEPParameterSpec sha256 = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                PSource.PSpecified.DEFAULT);
        EnvelopedData oaep = bouncyCastle(new JceKeyTransRecipientInfoGenerator(rsa.certificate().x509(),
                new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
                        sha256))
                .setProvider(BouncyCastle.provider()));
        byte[] info = RecipientInfo.getInstance(oaep.getRecipientInfos().getObjectAt(0)).getEncoded();
        info[info.length - 5] ^= 0x55;
        request(KeystoreApi.keyIdOf(rsa), info, oaep.getEncryptedContentInfo().getContentEncryptionAlgorithm()
                .getEncoded()).statusCode(422).body("code", equalTo("recipient-info-unusable"));

        request(KeystoreApi.keyIdOf(rsa), new byte[]{0x30, 0x03, 0x02, 0x01}, new byte[]{0x30, 0x00})
                .statusCode(400).contentType("application/problem+json");
        service().contentType(ContentType.JSON).body(Map.of("recipientInfo", "%%%", "contentEncryptionAlgorithm",
                "AAAA")).post("/internal/v1/keys/" + KeystoreApi.keyIdOf(rsa) + "/decrypt").then().statusCode(400);
    }

    @Test
    void aUserTokenCannotUseAKeyEvenItsOwn() throws Exception {
        EnvelopedData message = bouncyCastle(new JceKeyTransRecipientInfoGenerator(rsa.certificate().x509())
                .setProvider(BouncyCastle.provider()));
        as(TestTokens.user("rsa.reader@example.org")).contentType(ContentType.JSON)
                .body(body(RecipientInfo.getInstance(message.getRecipientInfos().getObjectAt(0)).getEncoded(),
                        message.getEncryptedContentInfo().getContentEncryptionAlgorithm().getEncoded()))
                .post("/internal/v1/keys/" + KeystoreApi.keyIdOf(rsa) + "/decrypt").then().statusCode(403);
    }

    private void assertRecovers(EndEntity recipient, EnvelopedData message) throws Exception {
        ASN1Set infos = message.getRecipientInfos();
        assertEquals(1, infos.size());
        String contentKey = decrypt(KeystoreApi.keyIdOf(recipient), message, 0).statusCode(200).extract()
                .path("contentEncryptionKey");
        byte[] key = Base64.getDecoder().decode(contentKey);
        assertEquals(32, key.length, "an AES-256 key");
        assertArrayEquals(PLAINTEXT, decryptContent(message.getEncryptedContentInfo(), key));
    }

    private static ValidatableResponse decrypt(String keyId, EnvelopedData message, int index) throws Exception {
        return request(keyId, RecipientInfo.getInstance(message.getRecipientInfos().getObjectAt(index)).getEncoded(),
                message.getEncryptedContentInfo().getContentEncryptionAlgorithm().getEncoded());
    }

    private static ValidatableResponse request(String keyId, byte[] recipientInfo, byte[] algorithm) {
        return service().contentType(ContentType.JSON).body(body(recipientInfo, algorithm))
                .post("/internal/v1/keys/" + keyId + "/decrypt").then();
    }

    private static Map<String, String> body(byte[] recipientInfo, byte[] algorithm) {
        return Map.of("recipientInfo", Base64.getEncoder().encodeToString(recipientInfo),
                "contentEncryptionAlgorithm", Base64.getEncoder().encodeToString(algorithm));
    }

    private static EnvelopedData bouncyCastle(RecipientInfoGenerator recipient) throws Exception {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(recipient);
        byte[] der = generator.generate(new CMSProcessableByteArray(PLAINTEXT),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(BouncyCastle.provider())
                        .build())
                .getEncoded();
        return EnvelopedData.getInstance(ContentInfo.getInstance(der).getContent());
    }

    /** Encrypts with openssl and checks that it used the key-encryption algorithm expected. */
    private EnvelopedData openssl(EndEntity recipient, String keyEncryption, String... keyOptions) throws Exception {
        Path in = Files.write(dir.resolve("message.txt"), PLAINTEXT);
        Path certificate = Files.writeString(dir.resolve("recipient.pem"), recipient.certificate().pem());
        Path out = dir.resolve("message.p7m");
        List<String> args = new ArrayList<>(List.of("cms", "-encrypt", "-binary", "-aes256", "-in", in.toString(),
                "-outform", "DER", "-out", out.toString(), "-recip", certificate.toString()));
        args.addAll(List.of(keyOptions));
        OpenSsl.run(args.toArray(String[]::new));
        EnvelopedData message = EnvelopedData.getInstance(ContentInfo.getInstance(Files.readAllBytes(out))
                .getContent());
        String printed = OpenSsl.run("cms", "-cmsout", "-print", "-inform", "DER", "-in", out.toString());
        assertTrue(printed.contains(keyEncryption), printed);
        return message;
    }

    private static byte[] decryptContent(EncryptedContentInfo content, byte[] key) throws Exception {
        assertEquals(CMSAlgorithm.AES256_CBC, content.getContentEncryptionAlgorithm().getAlgorithm());
        byte[] iv = ASN1OctetString.getInstance(content.getContentEncryptionAlgorithm().getParameters()).getOctets();
        BufferedBlockCipher cipher = new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(AESEngine.newInstance()));
        cipher.init(false, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] encrypted = content.getEncryptedContent().getOctets();
        byte[] output = new byte[cipher.getOutputSize(encrypted.length)];
        int length = cipher.processBytes(encrypted, 0, encrypted.length, output, 0);
        length += cipher.doFinal(output, length);
        return Arrays.copyOf(output, length);
    }
}
