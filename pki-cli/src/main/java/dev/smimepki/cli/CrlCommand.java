package dev.smimepki.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;

import dev.smimepki.core.PkiException;
import dev.smimepki.core.cert.RevocationReason;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pki crl CAID}: the CA's current CRL, as any client fetches it (public, no token). */
@Command(name = "crl", mixinStandardHelpOptions = true, header = "Show (and save) a CA's current CRL.")
final class CrlCommand implements Callable<Integer> {

    static final String PKIX_CRL = "application/pkix-crl";

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", paramLabel = "CAID")
    String caId;

    @Option(names = "--out", paramLabel = "FILE.crl", description = "Also write the CRL (DER) to FILE.")
    Path out;

    /** What a CRL says, for the table and --json. */
    record Crl(String issuer, BigInteger number, Instant thisUpdate, Instant nextUpdate, List<Revoked> revoked) {
    }

    /** One revoked certificate. */
    record Revoked(String serial, Instant revokedAt, String reason) {
    }

    @Override
    public Integer call() {
        byte[] der = fetch(options.client(), caId);
        if (out != null) {
            Files2.write(out, der);
        }
        Crl crl = parse(der);
        if (options.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("issuer", crl.issuer());
            json.put("crlNumber", crl.number());
            json.put("thisUpdate", crl.thisUpdate().toString());
            json.put("nextUpdate", crl.nextUpdate() == null ? null : crl.nextUpdate().toString());
            List<Map<String, String>> revoked = new ArrayList<>();
            for (Revoked entry : crl.revoked()) {
                revoked.add(Map.of("serial", entry.serial(), "revokedAt", entry.revokedAt().toString(), "reason",
                        entry.reason()));
            }
            json.put("revoked", revoked);
            options.out().println(Json.pretty(json));
        } else {
            options.out().print(Table.fields("issuer", crl.issuer(), "crl number", String.valueOf(crl.number()),
                    "this update", crl.thisUpdate().toString(), "next update", String.valueOf(crl.nextUpdate())));
            if (crl.revoked().isEmpty()) {
                options.out().println("no certificate revoked");
            } else {
                Table table = new Table("SERIAL", "REVOKED AT", "REASON");
                crl.revoked().forEach(entry -> table.row(entry.serial(), entry.revokedAt(), entry.reason()));
                table.print(options.out());
            }
            if (out != null) {
                options.out().println("wrote " + out);
            }
        }
        options.out().flush();
        return ExitCode.OK;
    }

    static byte[] fetch(PlatformClient client, String caId) {
        return client.get(PlatformService.CA, "/crl/" + PlatformClient.encode(caId.strip()), PKIX_CRL, false,
                "give the CRL of CA " + caId).body();
    }

    static Crl parse(byte[] der) {
        X509CRLHolder holder;
        try {
            holder = new X509CRLHolder(der);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "ca-service answered something that is not a CRL: "
                    + e.getMessage());
        }
        Extension numberExtension = holder.getExtension(Extension.cRLNumber);
        BigInteger number = numberExtension == null
                ? null
                : ASN1Integer.getInstance(numberExtension.getParsedValue()).getValue();
        List<Revoked> revoked = new ArrayList<>();
        for (Object entry : holder.getRevokedCertificates()) {
            X509CRLEntryHolder revokedEntry = (X509CRLEntryHolder) entry;
            revoked.add(new Revoked(revokedEntry.getSerialNumber().toString(16),
                    revokedEntry.getRevocationDate().toInstant(), reason(revokedEntry)));
        }
        return new Crl(holder.getIssuer().toString(), number, holder.getThisUpdate().toInstant(),
                holder.getNextUpdate() == null ? null : holder.getNextUpdate().toInstant(), revoked);
    }

    private static String reason(X509CRLEntryHolder entry) {
        Extension extension = entry.getExtension(Extension.reasonCode);
        if (extension == null) {
            return RevocationReason.fromCode(CRLReason.unspecified).wireName();
        }
        int code = CRLReason.getInstance(extension.getParsedValue()).getValue().intValue();
        try {
            return RevocationReason.fromCode(code).wireName();
        } catch (PkiException e) {
            return "reason " + code;
        }
    }
}
