package dev.smimepki.directory.upload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.smimepki.core.cert.Certificate;
import dev.smimepki.directory.profile.SmimeCertificateCheck;
import dev.smimepki.directory.profile.SmimeCertificateCheck.Finding;
import dev.smimepki.directory.store.CertificateStore;
import dev.smimepki.directory.store.DirectoryCertificate;
import dev.smimepki.directory.trust.ChainVerifier;
import dev.smimepki.directory.trust.TrustAnchors;
import dev.smimepki.directory.trust.Verification;
import dev.smimepki.runtime.problem.Problem;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/**
 * Uploads checked like a careful mail client: every recipient certificate of the upload must pass every check or
 * nothing is stored, and the answer names each failed check. CA certificates become anchors for admins only.
 */
@ApplicationScoped
public class CertificateUpload {
    static final String NOT_ADMIN = "CA certificates become trust anchors only when a pki-admin uploads them; "
            + "used here only to build the chain";

    private final CertificateStore store;
    private final ChainVerifier verifier;

    CertificateUpload(CertificateStore store, ChainVerifier verifier) {
        this.store = store;
        this.verifier = verifier;
    }

    @Transactional
    public UploadResult upload(byte[] body, UploadFormat format, boolean admin) {
        List<Certificate> certificates = format.decode(body);
        List<Certificate> cas = certificates.stream().filter(Certificate::isCa).toList();
        List<Certificate> recipients = certificates.stream().filter(c -> !c.isCa()).toList();
        if (recipients.isEmpty() && !admin) {
            throw new ProblemException(Kind.FORBIDDEN, "anchor-requires-admin",
                    "the upload holds only CA certificates, which only a pki-admin may add as trust anchors");
        }
        Instant now = Instant.now();
        List<Problem.Violation> violations = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            String field = recipients.size() == 1 ? "certificate" : "certificate[" + i + "]";
            for (Finding finding : SmimeCertificateCheck.check(recipients.get(i), now)) {
                violations.add(new Problem.Violation(field, finding.check(), finding.message()));
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Kind.REFUSED_BY_POLICY, "unfit-certificate", "the upload failed "
                    + violations.size() + " check(s) a careful mail client applies; nothing was stored",
                    violations, null);
        }
        List<UploadResult.Anchor> anchors = new ArrayList<>();
        List<UploadResult.Ignored> ignored = new ArrayList<>();
        if (admin) {
            store.learnCaCertificates(cas, TrustAnchors.Origin.UPLOADED, now, true);
            cas.forEach(ca -> anchors.add(new UploadResult.Anchor(ca.fingerprintSha256(), ca.subject())));
        } else {
            cas.forEach(ca -> ignored.add(new UploadResult.Ignored(ca.fingerprintSha256(), ca.subject(), NOT_ADMIN)));
        }
        List<UploadResult.Stored> stored = new ArrayList<>();
        store.holdTrustAnchors();
        for (Certificate recipient : recipients) {
            Verification verification = verifier.verify(recipient, cas, now);
            DirectoryCertificate row = store.recordUploaded(recipient, cas, verification, now);
            stored.add(new UploadResult.Stored(row.fingerprintSha256, row.subject, List.copyOf(row.addresses),
                    row.source.name(), row.trust.name(), row.trustDetail));
        }
        return new UploadResult(stored, anchors, ignored);
    }
}
