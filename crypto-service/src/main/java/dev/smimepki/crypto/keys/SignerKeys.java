package dev.smimepki.crypto.keys;

import dev.smimepki.core.email.EmailAddress;

/**
 * The private-key side of signing. crypto-service never holds a private key: production signs through
 * keystore-service ({@link KeystoreKeys}).
 */
public interface SignerKeys {

    /** The key a mailbox signs with now; 422 {@code no-signing-key} when it has none. */
    SigningKey signingKeyFor(EmailAddress mailbox);

    /** Signs a digest computed here; ECDSA signatures come back DER-encoded (RFC 5753 section 7.2). */
    byte[] sign(String keyId, SignatureScheme scheme, DigestAlgorithm digestAlgorithm, byte[] digest);
}
