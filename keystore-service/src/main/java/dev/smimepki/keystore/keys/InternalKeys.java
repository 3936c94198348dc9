package dev.smimepki.keystore.keys;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.keystore.Base64Field;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/** What ca-service and crypto-service ask of the keystore, besides the private-key operations themselves. */
@ApplicationScoped
public class InternalKeys {
    private final KeyVault vault;

    InternalKeys(KeyVault vault) {
        this.vault = vault;
    }

    /** Generates and stores a key; the transaction commits before this returns, so before the answer is sent. */
    public GeneratedKey generate(GenerateKeyRequest request, String actor) {
        List<EmailAddress> emails = request.emails().stream().map(EmailAddress::parse).distinct().toList();
        StoredKey key = vault.generate(request.keyAlgorithm(), emails, actor);
        return new GeneratedKey(key.id.toString(), key.keyAlgorithm, Pem.encode(PemType.PUBLIC_KEY,
                key.publicKeyDer));
    }

    /** 404 {@code no-signing-key} when the mailbox has no key with a usable signing certificate. */
    @Transactional
    public SigningKey signingKey(String email) {
        if (email == null || email.isBlank()) {
            throw new PkiFormatException("the query parameter email is required");
        }
        EmailAddress mailbox = EmailAddress.parse(email);
        KeyCertificate certificate = vault.signingCertificate(mailbox).orElseThrow(() -> new ProblemException(
                Kind.NOT_FOUND, "no-signing-key", "this mailbox has no key with a valid, unrevoked certificate"
                        + " that allows digitalSignature"));
        StoredKey key = vault.require(certificate.keyId);
        return new SigningKey(key.id.toString(), key.keyAlgorithm, certificate.certificate().pem(),
                certificate.chainPem);
    }

    /** 404 {@code no-matching-key} when no stored key has the certificate the identifier names. */
    @Transactional
    public FoundKey find(FindKeyRequest request) {
        Optional<KeyCertificate> found;
        if (request.subjectKeyIdentifier() != null && !request.subjectKeyIdentifier().isBlank()) {
            found = vault.findBySubjectKeyIdentifier(
                    Base64Field.decode(request.subjectKeyIdentifier(), "subjectKeyIdentifier"));
        } else if (request.issuer() != null && request.serialNumber() != null) {
            found = vault.findByIssuerAndSerial(issuer(request.issuer()), serialHex(request.serialNumber()));
        } else {
            throw new PkiFormatException("give issuer and serialNumber, or subjectKeyIdentifier");
        }
        KeyCertificate certificate = found.orElseThrow(() -> new ProblemException(Kind.NOT_FOUND,
                "no-matching-key", "no stored key has a certificate with this identifier"));
        return new FoundKey(certificate.keyId.toString(), certificate.certificate().pem());
    }

    private static X500Name issuer(String base64) {
        byte[] der = Base64Field.decode(base64, "issuer");
        try {
            X500Name name = X500Name.getInstance(ASN1Primitive.fromByteArray(der));
            if (name == null) {
                throw new PkiFormatException("issuer is empty");
            }
            return name;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new PkiFormatException("issuer is not a DER-encoded X.500 name", e);
        }
    }

    private static String serialHex(String hex) {
        try {
            return new BigInteger(hex.strip(), 16).toString(16);
        } catch (NumberFormatException e) {
            throw new PkiFormatException("serialNumber is not hexadecimal", e);
        }
    }
}
