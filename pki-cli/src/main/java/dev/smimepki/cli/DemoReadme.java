package dev.smimepki.cli;

/** The README.txt of the demo's output folder: what each file is and how to bring it into a mail client. */
final class DemoReadme {

    private DemoReadme() {
    }

    static String text(String run, String alice, String bob, String password) {
        return """
                S/MIME PKI demo, run %1$s
                ==========================

                Alice is %2$s, Bob is %3$s. Every file here was made by the platform's public APIs
                (Bob's key and CSR were made locally, as a subscriber with his own key would).

                Files
                -----
                root-ca.pem             the demo root CA: the certificate a mail client must trust
                issuing-ca.pem          the issuing CA under it (also inside every chain and PKCS#12)
                alice.pem, alice-chain.pem   Alice's certificate and its chain (issuing CA, root)
                alice-modern.p12        Alice's key + certificate + chain, AES-256/PBKDF2 (Thunderbird, current clients)
                alice-legacy.p12        the same, 3DES/SHA-1 (macOS Keychain / Apple Mail, older iOS, Android, Windows)
                bob.key.pem, bob.csr.pem     Bob's own key (unencrypted: demo only) and his certificate request
                bob.pem, bob-chain.pem  Bob's certificate and chain
                bob.p12                 Bob's key + chain as he made it (AES-256), uploaded to keystore-service
                bob-legacy.p12          Bob's key exported back from keystore-service in the legacy profile
                pkcs12-password.txt     the password of every .p12 here: %4$s
                message.eml             Alice's plain message
                alice-to-bob.eml        the same, signed by Alice and encrypted to Bob and Alice
                bob-decrypted.eml       what Bob got after decrypting: Alice's signed message
                verify-report.json      crypto-service's verification of Alice's signature
                issuing-ca.crl          the issuing CA's CRL (DER) after Alice's certificate was revoked
                alice-ocsp-response.der the OCSP answer for Alice's certificate: revoked
                bob-reply.eml           Bob's reply, which the platform refused to encrypt to revoked Alice

                Thunderbird
                -----------
                1. Settings > Privacy & Security > Certificates > Manage Certificates > Authorities > Import:
                   root-ca.pem, tick "This certificate can identify mail users".
                2. Your Certificates > Import: alice-modern.p12 (or bob-legacy.p12 to read as Bob), password above.
                3. Account Settings > End-To-End Encryption > S/MIME: select the personal certificate.
                4. File > Open > Saved Message: alice-to-bob.eml (as Bob) or bob-decrypted.eml shows the signature.
                   Recipients' certificates: Thunderbird asks the directory over LDAP (ldap://localhost:1389,
                   base dc=pki) when set up under Settings > Composition > Addressing.

                Apple Mail (macOS)
                ------------------
                1. Double-click root-ca.pem; in Keychain Access open it, Trust > "When using this certificate:
                   Always Trust".
                2. Double-click alice-legacy.p12 (the modern file gives "wrong password" on macOS), password above.
                3. Create an account for %2$s; the sign and encrypt buttons appear in a new message. A greyed-out
                   encrypt button means Mail has no certificate for the recipient: open a signed message from
                   them first (bob-decrypted.eml teaches Mail Alice's certificate).

                Checking by hand
                ----------------
                openssl verify -CAfile root-ca.pem -untrusted issuing-ca.pem -purpose smimesign alice.pem
                openssl pkcs12 -info -legacy -in alice-legacy.p12 -noout -passin file:pkcs12-password.txt
                openssl cms -decrypt -in alice-to-bob.eml -recip bob.pem -inkey bob.key.pem
                openssl crl -inform DER -in issuing-ca.crl -noout -text
                openssl ocsp -respin alice-ocsp-response.der -resp_text -noverify
                """.formatted(run, alice, bob, password);
    }
}
