package dev.smimepki.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.smimepki.core.BouncyCastle;
import dev.smimepki.core.cert.RevocationReason;
import dev.smimepki.core.pem.Pem;
import dev.smimepki.core.pem.PemType;
import dev.smimepki.core.policy.AlgorithmPolicy;
import dev.smimepki.core.policy.KeyAlgorithm;
import dev.smimepki.core.policy.KeyPairs;

/**
 * The demo's story, step by step, through the services' public APIs only. Each step prints what it did; a step whose
 * service feature is missing or refuses ends the demo with which step failed and why.
 */
final class DemoStory {

    /** RSA throughout: gpgsm 2.2 (Kmail, Mutt) has no ECC, and NSS before 3.100 no ECDH. */
    static final KeyAlgorithm KEY_ALGORITHM = KeyAlgorithm.RSA_2048;
    static final String OCSP_REQUEST = "application/ocsp-request";
    static final String OCSP_RESPONSE = "application/ocsp-response";
    /** Events travel through Kafka: the directory learns of issuance, harvest and revocation within seconds. */
    private static final Duration EVENTUAL = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final PlatformClient admin;
    private final Tokens tokens;
    private final Path out;
    private final PrintWriter stdout;
    private final String run;
    private final String alice;
    private final String bob;
    private int step;

    // what the steps hand each other
    private JsonNode rootCa;
    private JsonNode issuingCa;
    private JsonNode aliceCertificate;
    private JsonNode bobCertificate;
    private KeyPair bobKeys;
    private String password;
    private byte[] encrypted;
    private byte[] decrypted;

    DemoStory(PlatformClient admin, Tokens tokens, Path out, PrintWriter stdout) {
        this.admin = admin;
        this.tokens = tokens;
        this.out = out;
        this.stdout = stdout;
        this.run = DateTimeFormatter.ofPattern("MMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.now()) + HexFormat.of().toHexDigits((byte) new SecureRandom().nextInt());
        this.alice = "alice." + run + "@example.com";
        this.bob = "bob." + run + "@example.com";
    }

    void run() {
        stdout.println("demo run " + run + ": Alice is " + alice + ", Bob is " + bob + "; artifacts in "
                + out.toAbsolutePath().normalize());
        stdout.flush();
        step("Create a root CA", this::createRoot);
        step("Create an issuing CA under the root", this::createIssuing);
        step("Issue Alice's certificate; her key is generated in keystore-service", this::issueAlice);
        step("Bob makes his own key and CSR here, and gets a certificate for it", this::issueBob);
        step("Export Alice's key as PKCS#12, modern and legacy profiles", this::exportAlice);
        step("Bob brings his key into keystore-service (PKCS#12 import), so the platform can decrypt for him",
                this::importBob);
        step("Alice finds Bob's certificate in the directory by his address", this::lookUpBob);
        step("Alice signs and encrypts a message to Bob", this::signAndEncrypt);
        step("Bob decrypts it", this::decrypt);
        step("Bob verifies Alice's signature", this::verify);
        step("Alice's certificate is harvested from her signature into the directory", this::harvest);
        step("Alice's key is compromised: revoke her certificate", this::revoke);
        step("The CRL lists her certificate", this::crl);
        step("OCSP answers revoked", this::ocsp);
        step("The directory stops offering her certificate", this::directoryStopsOffering);
        step("Encrypting to Alice is refused, with the reason", this::encryptionRefused);
        writeReadme();
        stdout.println();
        stdout.println("done: every step passed. " + out.toAbsolutePath().normalize() + "/README.txt says how to"
                + " import the files into Thunderbird or Apple Mail (PKCS#12 password: " + password + ")");
        stdout.flush();
    }

    private void step(String title, Runnable action) {
        step++;
        stdout.printf("[%2d] %s%n", step, title);
        stdout.flush();
        try {
            action.run();
        } catch (CommandFailure failure) {
            int code = failure.exitCode() == ExitCode.UNREACHABLE ? ExitCode.UNREACHABLE : ExitCode.ERROR;
            throw new CommandFailure(code, "demo step " + step + " (" + title + ") failed: " + failure.getMessage());
        }
        stdout.flush();
    }

    private void say(String line) {
        stdout.println("     " + line);
    }

    private Path write(String name, byte[] content) {
        return Files2.write(out.resolve(name), content);
    }

    private Path write(String name, String content) {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private void createRoot() {
        rootCa = createCa("Demo Root " + run, "CN=Demo Root CA " + run + ",O=S/MIME PKI demo", null,
                CaCommand.ROOT_VALIDITY_DAYS);
        write("root-ca.pem", Json.text(rootCa, "certificatePem"));
        say("root " + Json.text(rootCa, "id") + "  " + Json.text(rootCa, "subject"));
        say("SHA-256 " + Json.text(rootCa, "fingerprintSha256") + " (compare it by phone before trusting it)");
        say("wrote root-ca.pem");
    }

    private void createIssuing() {
        issuingCa = createCa("Demo Issuing " + run, "CN=Demo Issuing CA " + run + ",O=S/MIME PKI demo",
                Json.text(rootCa, "id"), CaCommand.ISSUING_VALIDITY_DAYS);
        write("issuing-ca.pem", Json.text(issuingCa, "certificatePem"));
        say("issuing CA " + Json.text(issuingCa, "id") + "  " + Json.text(issuingCa, "subject"));
        say("wrote issuing-ca.pem");
    }

    private JsonNode createCa(String name, String subject, String issuer, int validityDays) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("subject", subject);
        body.put("keyAlgorithm", KEY_ALGORITHM.name());
        body.put("validityDays", validityDays);
        if (issuer != null) {
            body.put("issuerCaId", issuer);
        }
        return admin.postJson(PlatformService.CA, "/api/v1/cas", body, PlatformClient.JSON, "create CA " + name)
                .json();
    }

    private void issueAlice() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("caId", Json.text(issuingCa, "id"));
        body.put("emails", List.of(alice));
        body.put("commonName", "Alice Demo");
        body.put("keyAlgorithm", KEY_ALGORITHM.name());
        aliceCertificate = admin.postJson(PlatformService.CA, "/api/v1/certificates", body, PlatformClient.JSON,
                "issue Alice's certificate").json();
        if (Json.text(aliceCertificate, "keyId") == null) {
            throw new CommandFailure(ExitCode.ERROR, "the answer names no keyId for the generated key");
        }
        write("alice.pem", Json.text(aliceCertificate, "certificatePem"));
        write("alice-chain.pem", Json.text(aliceCertificate, "chainPem"));
        say("serial " + Json.text(aliceCertificate, "serial") + ", key " + Json.text(aliceCertificate, "keyId")
                + " (stays in keystore-service)");
        say("wrote alice.pem, alice-chain.pem");
    }

    private void issueBob() {
        bobKeys = KeyPairs.generate(KEY_ALGORITHM);
        String csr = csr(bobKeys, "Bob Demo");
        write("bob.key.pem", Pem.encode(PemType.PRIVATE_KEY, bobKeys.getPrivate().getEncoded()));
        write("bob.csr.pem", csr);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("caId", Json.text(issuingCa, "id"));
        body.put("emails", List.of(bob));
        body.put("commonName", "Bob Demo");
        body.put("csr", csr);
        bobCertificate = admin.postJson(PlatformService.CA, "/api/v1/certificates", body, PlatformClient.JSON,
                "issue Bob's certificate from his CSR").json();
        write("bob.pem", Json.text(bobCertificate, "certificatePem"));
        write("bob-chain.pem", Json.text(bobCertificate, "chainPem"));
        say("key " + KEY_ALGORITHM.name() + " made here, written to bob.key.pem (unencrypted:"
                + " demo only)");
        say("serial " + Json.text(bobCertificate, "serial") + " issued from bob.csr.pem");
        say("wrote bob.key.pem, bob.csr.pem, bob.pem, bob-chain.pem");
    }

    private void exportAlice() {
        password = randomPassword();
        write("pkcs12-password.txt", password + "\n");
        PlatformClient asAlice = admin.as(tokens.user(alice));
        String keyId = Json.text(aliceCertificate, "keyId");
        // keystore-service binds the certificate to the key when the issued event reaches it
        byte[] modern = await("keystore-service to learn Alice's certificate", () -> {
            try {
                return Optional.of(ExportCommand.export(asAlice, keyId, password, "modern"));
            } catch (CommandFailure failure) {
                if (failure.getMessage().contains("(HTTP 409)")) {
                    return Optional.empty();
                }
                throw failure;
            }
        });
        write("alice-modern.p12", modern);
        write("alice-legacy.p12", ExportCommand.export(asAlice, keyId, password, "legacy"));
        say("as Alice (pki-user " + alice + ")");
        say("wrote alice-modern.p12 (AES-256/PBKDF2: Thunderbird) and alice-legacy.p12 (3DES/SHA-1: Apple Mail,"
                + " macOS Keychain, older Windows/Android)");
        say("password in pkcs12-password.txt: " + password);
    }

    private void importBob() {
        byte[] pkcs12 = localPkcs12(bobKeys, List.of(Json.text(bobCertificate, "certificatePem"),
                Json.text(bobCertificate, "chainPem")), password);
        write("bob.p12", pkcs12);
        PlatformClient asBob = admin.as(tokens.user(bob));
        JsonNode imported = asBob.postMultipart(PlatformService.KEYSTORE, "/api/v1/keys/import",
                Map.of("password", password), "pkcs12", "bob.p12", pkcs12, "import Bob's PKCS#12").json();
        String keyId = Json.text(imported, "keyId");
        write("bob-legacy.p12", ExportCommand.export(asBob, keyId, password, "legacy"));
        say("Bob's key was made outside the platform; decrypting in crypto-service needs it in keystore-service,"
                + " so Bob uploads it himself (as pki-user " + bob + ")");
        say("key " + keyId + "; wrote bob.p12 (made here) and bob-legacy.p12 (exported back, for Apple Mail/gpgsm)");
    }

    private void lookUpBob() {
        JsonNode entry = awaitPreferred(bob, Json.text(bobCertificate, "fingerprintSha256"));
        awaitPreferred(alice, Json.text(aliceCertificate, "fingerprintSha256"));
        say("GET /api/v1/directory/" + bob + " offers serial " + Json.text(bobCertificate, "serial") + " ("
                + entry.path("certificates").size() + " certificate(s) known); mail clients ask the same directory"
                + " over LDAP (mail=" + bob + ")");
        say("Alice's own certificate is there as well: the message is encrypted to the sender too");
    }

    private JsonNode awaitPreferred(String address, String fingerprint) {
        return await("the directory to offer " + address + "'s certificate " + LookupCommand.abbreviated(
                fingerprint),
                () -> lookup(address).filter(entry -> fingerprint.equals(Json.text(entry,
                        "preferred"))));
    }

    private Optional<JsonNode> lookup(String address) {
        try {
            return Optional.of(admin.get(PlatformService.DIRECTORY, "/api/v1/directory/" + PlatformClient.encode(
                    address), PlatformClient.JSON, false, "look up " + address).json());
        } catch (CommandFailure failure) {
            if (failure.exitCode() == ExitCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw failure;
        }
    }

    private void signAndEncrypt() {
        String message = "From: Alice Demo <" + alice + ">\r\nTo: Bob Demo <" + bob + ">\r\nSubject: Demo " + run
                + ": the keys to the cabin\r\nDate: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        Instant.now().atZone(ZoneOffset.UTC))
                + "\r\nMessage-ID: <" + run + ".alice@example.com>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHi Bob,\r\n\r\nthe key is under the third flower"
                + " pot. Only you can read this, and you can check it is from me.\r\n\r\nAlice\r\n";
        write("message.eml", message);
        PlatformClient asAlice = admin.as(tokens.user(alice));
        encrypted = readAll(asAlice.postStream(PlatformService.CRYPTO, "/api/v1/smime/sign-and-encrypt",
                PlatformClient.RFC822, () -> new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
                PlatformClient.RFC822, "sign and encrypt Alice's message"));
        write("alice-to-bob.eml", encrypted);
        say("as Alice: POST /api/v1/smime/sign-and-encrypt, to Bob and to Alice herself");
        say("wrote message.eml (plain) and alice-to-bob.eml (" + encrypted.length + " bytes, "
                + contentType(encrypted) + ")");
    }

    private void decrypt() {
        PlatformClient asBob = admin.as(tokens.user(bob));
        decrypted = readAll(asBob.postStream(PlatformService.CRYPTO, "/api/v1/smime/decrypt", PlatformClient.RFC822,
                () -> new ByteArrayInputStream(encrypted), PlatformClient.RFC822, "decrypt the message for Bob"));
        write("bob-decrypted.eml", decrypted);
        String text = new String(decrypted, StandardCharsets.UTF_8);
        if (!text.contains("third flower") && !text.contains("application/pkcs7")
                && !text.contains("multipart/signed")) {
            throw new CommandFailure(ExitCode.ERROR, "the decrypted message is neither Alice's text nor a signed"
                    + " message");
        }
        say("as Bob: POST /api/v1/smime/decrypt; the key was chosen from the message's recipient infos");
        say("wrote bob-decrypted.eml (Alice's signed message, " + contentType(decrypted) + ")");
    }

    private void verify() {
        PlatformClient asBob = admin.as(tokens.user(bob));
        byte[] answer = readAll(asBob.postStream(PlatformService.CRYPTO, "/api/v1/smime/verify",
                PlatformClient.RFC822, () -> new ByteArrayInputStream(decrypted), PlatformClient.JSON,
                "verify Alice's signature"));
        write("verify-report.json", answer);
        JsonNode report = Json.read(answer);
        for (String line : SmimeCommands.Verify.describe(report).split("\\R")) {
            say(line);
        }
        if (!report.path("signatureValid").asBoolean(false)) {
            throw new CommandFailure(ExitCode.ERROR, "the signature does not verify");
        }
        String signer = Json.text(report.path("signer"), "email");
        if (!alice.equalsIgnoreCase(signer)) {
            throw new CommandFailure(ExitCode.ERROR, "the report names " + signer + " as signer, not " + alice);
        }
        if (!report.path("chainTrusted").asBoolean(false)) {
            say("note: crypto-service trusts only the roots configured in PKI_CRYPTO_TRUST_ANCHORS, not CAs made"
                    + " at run time, so this new demo root is not a trust anchor there; the signature itself is"
                    + " good");
        }
        say("wrote verify-report.json");
    }

    private void harvest() {
        String fingerprint = Json.text(aliceCertificate, "fingerprintSha256");
        JsonNode certificate = await("the directory to record the harvest of Alice's certificate",
                () -> lookup(alice).flatMap(entry -> certificate(entry, fingerprint))
                        .filter(found -> found.path("timesHarvested").asInt(0) > 0
                                || "harvested".equals(Json.text(found, "source"))));
        say("directory: source " + Json.text(certificate, "source") + ", seen in " + certificate.path(
                "timesHarvested").asInt() + " verified signed message(s), last seen " + Json.text(certificate,
                        "lastSeen"));
    }

    private static Optional<JsonNode> certificate(JsonNode entry, String fingerprint) {
        for (JsonNode certificate : entry.path("certificates")) {
            if (fingerprint.equals(Json.text(certificate, "fingerprintSha256"))) {
                return Optional.of(certificate);
            }
        }
        return Optional.empty();
    }

    private void revoke() {
        String serial = Json.text(aliceCertificate, "serial");
        JsonNode revoked = admin.postJson(PlatformService.CA, "/api/v1/certificates/" + serial + "/revoke",
                Map.of("reason", RevocationReason.KEY_COMPROMISE.wireName()), PlatformClient.JSON,
                "revoke Alice's certificate").json();
        say("serial " + serial + " " + Json.text(revoked, "status") + " at " + Json.text(revoked, "revokedAt")
                + " (" + Json.text(revoked, "revocationReason") + ")");
    }

    private void crl() {
        BigInteger serial = new BigInteger(Json.text(aliceCertificate, "serial"), 16);
        String caId = Json.text(issuingCa, "id");
        CrlCommand.Crl listed = await("the CRL of the issuing CA to list Alice's serial", () -> {
            byte[] der = CrlCommand.fetch(admin, caId);
            CrlCommand.Crl crl = CrlCommand.parse(der);
            if (crl.revoked().stream().anyMatch(entry -> new BigInteger(entry.serial(), 16).equals(serial))) {
                write("issuing-ca.crl", der);
                return Optional.of(crl);
            }
            return Optional.empty();
        });
        CrlCommand.Revoked entry = listed.revoked().stream()
                .filter(revoked -> new BigInteger(revoked.serial(), 16).equals(serial)).findFirst().orElseThrow();
        say("CRL number " + listed.number() + ", next update " + listed.nextUpdate() + ": " + entry.serial()
                + " revoked at " + entry.revokedAt() + " (" + entry.reason() + ")");
        say("wrote issuing-ca.crl (DER), the file at the certificate's CRL distribution point");
    }

    private void ocsp() {
        X509CertificateHolder issuer = holder(Json.text(issuingCa, "certificatePem"));
        BigInteger serial = new BigInteger(Json.text(aliceCertificate, "serial"), 16);
        byte[] request;
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(
                    CertificateID.HASH_SHA1), issuer, serial);
            request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        } catch (OperatorCreationException | OCSPException | IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "cannot build the OCSP request: " + e.getMessage());
        }
        byte[] response = admin.postBytes(PlatformService.CA, "/ocsp/" + Json.text(issuingCa, "id"), OCSP_REQUEST,
                request, OCSP_RESPONSE, false, "answer OCSP for Alice's certificate").body();
        write("alice-ocsp-response.der", response);
        SingleResp single;
        try {
            OCSPResp ocsp = new OCSPResp(response);
            if (ocsp.getStatus() != OCSPResp.SUCCESSFUL) {
                throw new CommandFailure(ExitCode.ERROR, "the OCSP responder answered status " + ocsp.getStatus());
            }
            single = ((BasicOCSPResp) ocsp.getResponseObject()).getResponses()[0];
        } catch (IOException | OCSPException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            throw new CommandFailure(ExitCode.ERROR, "the OCSP answer cannot be read: " + e.getMessage());
        }
        CertificateStatus status = single.getCertStatus();
        if (!(status instanceof RevokedStatus revoked)) {
            throw new CommandFailure(ExitCode.ERROR, "OCSP says " + (status == CertificateStatus.GOOD
                    ? "good"
                    : "unknown") + " for a revoked certificate");
        }
        say("POST /ocsp/" + Json.text(issuingCa, "id") + ": revoked since " + revoked.getRevocationTime()
                .toInstant()
                + (revoked.hasRevocationReason()
                        ? " (" + RevocationReason.fromCode(revoked.getRevocationReason()).wireName() + ")"
                        : ""));
        say("wrote alice-ocsp-response.der");
    }

    private void directoryStopsOffering() {
        String fingerprint = Json.text(aliceCertificate, "fingerprintSha256");
        JsonNode entry = await("the directory to stop offering Alice's revoked certificate", () -> lookup(alice)
                .filter(found -> !fingerprint.equals(Json.text(found, "preferred"))));
        JsonNode certificate = certificate(entry, fingerprint).orElse(null);
        say("GET /api/v1/directory/" + alice + ": " + (Json.text(entry, "preferred") == null
                ? "nothing to encrypt to (" + Json.text(entry, "reason", "no reason given") + ")"
                : "offers another certificate"));
        if (certificate != null) {
            say("her certificate: status " + Json.text(certificate, "status") + "; not chosen because "
                    + String.join("; ", IssueCommand.texts(certificate.path("rejectedBecause"))));
        }
    }

    private void encryptionRefused() {
        String reply = "From: Bob Demo <" + bob + ">\r\nTo: Alice Demo <" + alice + ">\r\nSubject: Re: Demo " + run
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nThanks, Alice!\r\n";
        write("bob-reply.eml", reply);
        try {
            byte[] result = readAll(admin.as(tokens.user(bob)).postStream(PlatformService.CRYPTO,
                    "/api/v1/smime/encrypt", PlatformClient.RFC822,
                    () -> new ByteArrayInputStream(reply.getBytes(StandardCharsets.UTF_8)), PlatformClient.RFC822,
                    "encrypt Bob's reply to Alice"));
            throw new CommandFailure(ExitCode.ERROR, "crypto-service encrypted to Alice (" + result.length
                    + " bytes) although her only certificate is revoked");
        } catch (CommandFailure failure) {
            if (!failure.getMessage().contains("(HTTP 422)")) {
                throw failure;
            }
            for (String line : failure.getMessage().split("\\R")) {
                say(line.strip().startsWith("-") ? "  " + line.strip() : line);
            }
        }
    }

    private <T> T await(String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(EVENTUAL);
        while (true) {
            Optional<T> result = probe.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new CommandFailure(ExitCode.ERROR, "gave up after " + EVENTUAL.toSeconds()
                        + " s waiting for " + what);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure(ExitCode.INTERRUPTED, "interrupted");
            }
        }
    }

    private void writeReadme() {
        write("README.txt", DemoReadme.text(run, alice, bob, password));
    }

    static String csr(KeyPair keys, String commonName) {
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN="
                    + commonName), keys.getPublic()).build(
                            new JcaContentSignerBuilder(KeyAlgorithm.of(keys
                                    .getPublic()).signatureAlgorithm()).setProvider(BouncyCastle.provider()).build(keys
                                            .getPrivate()));
            return Pem.encode(PemType.CERTIFICATE_REQUEST, request.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "cannot make the CSR: " + e.getMessage());
        }
    }

    /** A PKCS#12 with the key, its certificate and chain, as a user's own tools would make it. */
    static byte[] localPkcs12(KeyPair keys, List<String> pems, String password) {
        try {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            List<X509Certificate> chain = new java.util.ArrayList<>();
            for (String pem : pems) {
                for (byte[] der : Pem.decodeAll(pem, PemType.CERTIFICATE)) {
                    X509Certificate certificate = converter.getCertificate(new X509CertificateHolder(der));
                    if (!chain.contains(certificate)) {
                        chain.add(certificate);
                    }
                }
            }
            KeyStore store = KeyStore.getInstance(AlgorithmPolicy.PKCS12_KEY_STORE);
            store.load(null, null);
            store.setKeyEntry("Bob Demo", keys.getPrivate(), password.toCharArray(), chain.toArray(
                    X509Certificate[]::new));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password.toCharArray());
            return bytes.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "cannot make Bob's PKCS#12: " + e.getMessage());
        }
    }

    private static X509CertificateHolder holder(String pem) {
        try {
            return new X509CertificateHolder(Pem.decodeAll(pem, PemType.CERTIFICATE).get(0));
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "ca-service answered a certificate that cannot be read");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (InputStream body = in) {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.UNREACHABLE, "the answer broke off: " + e.getMessage());
        }
    }

    /** The top-level Content-Type of a message, for the step's output. */
    static String contentType(byte[] message) {
        return MessageHeaders.parse(new String(message, 0, Math.min(message.length, MessageHeaders.PEEK_LIMIT),
                StandardCharsets.ISO_8859_1)).value("Content-Type").map(value -> value.split(";")[0].strip())
                .orElse("no Content-Type");
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
